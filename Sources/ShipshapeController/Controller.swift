import AsyncHTTPClient
import Foundation
import ShipshapeAWS
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
    private let loops: [EnvironmentLoop]
    private let sourceLoop: SourceLoop
    private let logger: Logger
    public let admin: AdminActions
    private let leadership: Leadership?

    /// Builds the controller. When the configuration names no environments, the config repository is
    /// fetched once to find them (every environment in the manifests).
    public init(configuration: ControllerConfiguration, logger: Logger) async throws {
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
        let store = try StateStore(directory: configuration.stateDirectory)
        if let lease = configuration.lease {
            let aws = AWSClient(
                configuration: .init(
                    region: configuration.aws.region ?? AWSRegion.resolve() ?? "us-east-1",
                    endpoint: configuration.aws.endpoint.flatMap(URL.init(string:))),
                credentialProvider: CredentialChain.default(httpClient: .shared),
                httpClient: .shared, logger: logger)
            leadership = Leadership(
                lease: DynamoDBLease(
                    table: lease.table, name: lease.name, holder: DynamoDBLease.defaultHolder(), duration: lease.duration,
                    client: DynamoDBClient(client: aws)),
                logger: logger)
        } else {
            leadership = nil
        }
        let reconciler = Reconciler(providers: Self.providers(configuration: configuration, logger: logger))
        let cycle = ReconcileCycle(
            reconciler: reconciler, store: store, metrics: metrics, status: status,
            dryRun: configuration.policy.dryRun, logger: logger, leadership: leadership)
        var loops: [EnvironmentLoop] = []
        for environment in environments {
            var envLogger = logger
            envLogger[metadataKey: "env"] = "\(environment)"
            loops.append(
                EnvironmentLoop(
                    environment: environment, source: source, cycle: cycle, trigger: Trigger(),
                    resyncInterval: configuration.git.pollInterval, logger: envLogger))
        }
        self.loops = loops
        admin = AdminActions(
            store: store, source: source,
            triggers: Dictionary(uniqueKeysWithValues: loops.map { ($0.environment, $0.trigger) }))
        let sourceTrigger = Trigger()
        self.sourceTrigger = sourceTrigger
        sourceLoop = SourceLoop(
            source: source, trigger: sourceTrigger, pollInterval: configuration.git.pollInterval,
            environmentTriggers: loops.map(\.trigger), metrics: metrics, status: status, logger: logger)
    }

    /// The providers for the backends this controller manages.
    static func providers(configuration: ControllerConfiguration, logger: Logger) -> [any Provider] {
        let docker = DockerClient(socketPath: configuration.docker.socket, logger: logger)
        return [DockerServiceProvider(client: docker, logger: logger)]
    }

    /// Runs until SIGTERM/SIGINT. `onListening` receives the HTTP port once bound.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let (host, port) = try configuration.listenAddress
        let token = try configuration.adminTokenFile.map { try SecretFile.read($0, what: "admin.tokenFile") }
        let http = HTTPServer.application(
            host: host, port: port, metrics: metrics, status: status, admin: admin, adminToken: token,
            logger: logger, onListening: onListening)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: http)] + (leadership.map { [.init(service: $0)] } ?? [])
                    + [.init(service: sourceLoop)] + loops.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
