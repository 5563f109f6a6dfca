import AsyncHTTPClient
import Foundation
public import ShipshapeAWS
import ShipshapeGit
public import Logging
import ServiceLifecycle
import ShipshapeManifest
import UnixSignals
import ShipshapeDocker
import ShipshapeReconcile

/// Assembles the daemon (`shipshape run`) from its configuration: the Git source loop, one reconcile
/// loop per environment, and the HTTP server, run in one `ServiceGroup` that shuts down gracefully on
/// SIGTERM and SIGINT.
public struct Controller: Sendable {
    public let configuration: ControllerConfiguration
    public let metrics: ShipshapeMetrics
    public let status: StatusBoard
    public let source: GitManifestSource
    public let sourceTrigger: Trigger
    public let environments: [String]
    public let alerts: AlertDispatcher<ContinuousClock>
    private let notifier: SystemdNotifier
    private let watchdog: SystemdWatchdog<ContinuousClock>
    private let loops: [EnvironmentLoop]
    private let sourceLoop: SourceLoop
    private let logger: Logger
    public let admin: AdminActions
    private let leadership: Leadership?

    /// Builds the controller. When the configuration names no environments, the config repository is
    /// fetched once to find them (every environment in the manifests). AWS calls (providers, lease,
    /// secrets) sign with `awsCredentials`, by default the SDKs' chain: environment, profile files,
    /// then the EC2 instance role.
    public init(
        configuration: ControllerConfiguration, awsCredentials: (any CredentialProvider)? = nil, logger: Logger
    ) async throws {
        self.configuration = configuration
        self.logger = logger
        let source = GitManifestSource(
            configuration: configuration.git, stateDirectory: configuration.stateDirectory, logger: logger)
        self.source = source
        let environments: [String]
        if let configured = configuration.environments {
            environments = configured
        } else {
            environments = try await source.refresh().bundle.environmentNames
            logger.info("Reconciling every environment in the manifests", metadata: ["environments": "\(environments)"])
        }
        self.environments = environments
        let metrics = ShipshapeMetrics(environments: environments)
        self.metrics = metrics
        let status = StatusBoard(environments: environments)
        self.status = status
        let alerts = try AlertDispatcher(
            configuration: configuration.alerts, metrics: metrics, clock: ContinuousClock(), logger: logger)
        self.alerts = alerts
        let notifier = SystemdNotifier()
        self.notifier = notifier
        // A loop is quiet for at most its resync interval plus one cycle (rollouts wait on health checks).
        let watchdog = SystemdWatchdog(
            notifier: notifier, loops: environments, maxSilence: configuration.git.pollInterval * 2 + .seconds(900),
            clock: ContinuousClock(), logger: logger, statusLine: { SystemdStatusLine.summary(of: await status.snapshot()) })
        self.watchdog = watchdog
        let store = try StateStore(directory: configuration.stateDirectory)
        let aws = AWSClients(configuration: configuration.aws, credentials: awsCredentials, logger: logger)
        if let lease = configuration.lease {
            leadership = Leadership(
                lease: DynamoDBLease(
                    table: lease.table, name: lease.name, holder: DynamoDBLease.defaultHolder(), duration: lease.duration,
                    client: DynamoDBClient(client: aws.client(for: aws.defaultRegion))),
                logger: logger)
        } else {
            leadership = nil
        }
        let reconciler = Reconciler(providers: Self.providers(configuration: configuration, aws: aws, logger: logger))
        let cycle = ReconcileCycle(
            reconciler: reconciler, store: store, metrics: metrics, status: status,
            dryRun: configuration.policy.dryRun, logger: logger, leadership: leadership, alerts: alerts)
        var loops: [EnvironmentLoop] = []
        for environment in environments {
            var envLogger = logger
            envLogger[metadataKey: "env"] = "\(environment)"
            loops.append(
                EnvironmentLoop(
                    environment: environment, source: source, cycle: cycle, trigger: Trigger(),
                    resyncInterval: configuration.git.pollInterval, logger: envLogger, watchdog: watchdog))
        }
        self.loops = loops
        admin = AdminActions(
            store: store, source: source,
            triggers: Dictionary(uniqueKeysWithValues: loops.map { ($0.environment, $0.trigger) }))
        let sourceTrigger = Trigger()
        self.sourceTrigger = sourceTrigger
        sourceLoop = SourceLoop(
            source: source, trigger: sourceTrigger, pollInterval: configuration.git.pollInterval,
            environmentTriggers: loops.map(\.trigger), metrics: metrics, status: status, logger: logger, alerts: alerts)
    }

    /// The providers for the backends this controller manages: the Docker daemon of this host, and
    /// AWS (security groups, instances, RDS, ECR images, ECS services). An environment without AWS
    /// resources makes no AWS call and needs no credentials. Blue/green's ELBv2 switch calls the
    /// region in the target group's ARN, at `aws.endpoint` when one is set.
    static func providers(configuration: ControllerConfiguration, aws: AWSClients, logger: Logger) -> [any Provider] {
        let docker = DockerClient(socketPath: configuration.docker.socket, logger: logger)
        let listenPort = (try? configuration.listenAddress.port) ?? 9090
        var registries: [any RegistryCredentialsProvider] = []
        if configuration.docker.ecr {
            registries.append(
                ECRCredentialsProvider {
                    let token = try await ECRClient(client: aws.client(for: aws.defaultRegion)).getAuthorization()
                    return [
                        try ShipshapeDocker.ECRAuthorization(
                            authorizationToken: Data("\(token.username):\(token.password)".utf8).base64EncodedString(),
                            proxyEndpoint: token.proxyEndpoint, expiresAt: token.expiresAt)
                    ]
                })
        }
        if let file = configuration.docker.registryCredentialsFile { registries.append(RegistryCredentialsFile(path: file)) }
        let options = DockerRuntimeOptions(
            secrets: AWSSecretResolver(clients: aws),
            registryCredentials: RegistryCredentialsChain(registries),
            localTrafficSwitch: configuration.docker.trafficSwitch.map {
                NginxUpstreamSwitch(directory: $0.upstreamDirectory, reloadCommand: $0.reloadCommand)
            },
            targetGroupTrafficSwitch: configuration.docker.targetGroup.map { settings in
                let identity: ELBv2TrafficSwitch.Identity =
                    switch settings.identity {
                    case .instanceID(let id): .instance(id)
                    case .ipAddress(let address): .ipAddress(address)
                    case .instanceMetadata: .instanceFromMetadata(InstanceMetadataClient(httpClient: .shared))
                    }
                return ELBv2TrafficSwitch(
                    clients: aws.regional, identity: identity, healthTimeout: settings.healthTimeout,
                    drainTimeout: settings.drainTimeout)
            },
            metrics: configuration.docker.prometheus.map { PrometheusMetricQuery(url: $0.url, timeout: $0.timeout) },
            keepPreviousImages: configuration.docker.keepPreviousImages)
        return [DockerServiceProvider(client: docker, logger: logger, options: options)]
            + AWSProviders.make(
                clients: aws.regional, options: AWSProviderOptions(protectedPorts: [22, listenPort]), logger: logger)
    }

    /// Runs until SIGTERM/SIGINT. `onListening` receives the HTTP port once bound.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let (host, port) = try configuration.listenAddress
        let token = try configuration.adminTokenFile.map { try SecretFile.read($0, what: "admin.tokenFile") }
        let webhook = try configuration.git.webhook.map { settings in
            HTTPServer.WebhookSettings(
                verifier: try GitHubWebhook(secretFile: settings.secretFile), repositoryURL: configuration.git.url,
                repository: settings.repository, ref: configuration.git.ref, trigger: sourceTrigger)
        }
        let notifier = notifier
        let logger = logger
        let http = HTTPServer.application(
            host: host, port: port, metrics: metrics, status: status, admin: admin, adminToken: token,
            webhook: webhook, logger: logger,
            onListening: { bound in
                do {
                    try notifier.ready(status: "listening on \(host):\(bound)")
                } catch {
                    logger.warning("sd_notify READY failed", metadata: ["error": "\(error)"])
                }
                await onListening(bound)
            })
        // Shut down in reverse order: the watchdog first (STOPPING=1), then the loops (running cycles
        // finish and may still raise alerts), the lease (released for the next leader), and the alert
        // dispatcher last (it drains its queues).
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: alerts), .init(service: http)]
                    + (leadership.map { [.init(service: $0)] } ?? [])
                    + [.init(service: sourceLoop)] + loops.map { .init(service: $0) } + [.init(service: watchdog)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
