import Foundation
import Logging
import ShipshapeDocker
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting

/// A secret resolver that reads a dictionary: the injection point the controller fills with SSM and
/// Secrets Manager, filled here by the test. Counts lookups.
actor DictionarySecretResolver: SecretResolver {
    private let values: [String: String]
    private(set) var lookups = 0

    init(_ values: [String: String]) {
        self.values = values
    }

    func resolve(_ reference: SecretReference) async throws -> String {
        lookups += 1
        guard let value = values[reference.description] else {
            throw HarnessError("no test value for \(reference)")
        }
        return value
    }
}

/// One test environment (a unique name) on the real daemon: plans and applies services through the
/// Docker provider the way a reconcile cycle does, and removes every container of the environment
/// and every image it registered at the end.
struct ProviderHarness: Sendable {
    let env: String
    let client: DockerClient
    let provider: DockerServiceProvider
    let logger: Logger

    static let logger: Logger = {
        var logger = Logger(label: "shipshape.docker.provider.test")
        logger.logLevel = .info
        return logger
    }()

    /// Runs `body` with a fresh environment; removes its containers and `images` afterwards.
    static func with<T: Sendable>(
        options: DockerRuntimeOptions = .init(), images: [String] = [],
        _ body: (ProviderHarness) async throws -> T
    ) async throws -> T {
        let client = DockerClient(logger: logger)
        let harness = ProviderHarness(
            env: "t\(String(UInt32.random(in: .min ... .max), radix: 16))", client: client,
            provider: DockerServiceProvider(client: client, logger: logger, options: options), logger: logger)
        do {
            let result = try await body(harness)
            await harness.cleanUp(images: images)
            return result
        } catch {
            await harness.cleanUp(images: images)
            throw error
        }
    }

    func cleanUp(images: [String]) async {
        let containers = (try? await client.listContainers(all: true, labels: [Ownership.environmentKey: env])) ?? []
        for container in containers { try? await client.removeContainer(container.id, force: true) }
        await TestImages.remove(images)
    }

    func environment(_ services: [Service]) -> Environment {
        Environment(
            name: env, spec: EnvironmentSpec(services: Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0) })))
    }

    /// Observes and plans `services` at `revision`.
    func plan(_ services: [Service], revision: String = "r1") async throws -> Plan {
        let reconciler = Reconciler(providers: [provider])
        return try await reconciler.plan(environment(services), inputs: .init(environment: env, revision: revision))
    }

    /// Plans and applies; returns the plan and the report.
    @discardableResult
    func deploy(_ services: [Service], revision: String = "r1") async throws -> (plan: Plan, report: ApplyReport) {
        let plan = try await plan(services, revision: revision)
        let report = await Reconciler(providers: [provider]).apply(plan, logger: logger)
        return (plan, report)
    }

    /// Deploys and fails with the error when the apply did not succeed.
    @discardableResult
    func deployOrThrow(_ services: [Service], revision: String = "r1") async throws -> Plan {
        let (plan, report) = try await deploy(services, revision: revision)
        if let failure = report.failure { throw HarnessError("apply of \(failure.resource) failed: \(failure.error)") }
        return plan
    }

    /// This environment's containers (all states).
    func containers() async throws -> [ContainerSummary] {
        try await client.listContainers(all: true, labels: [Ownership.environmentKey: env])
    }
}

/// Local images for one test: built with `docker import`, unique names.
///
/// The server shuts down like a well-behaved service: on SIGTERM it stops accepting (the listening
/// httpd process exits), lets the requests in flight finish (each is served by its own child), and
/// exits a second later. A load balancer then retries refused connections elsewhere, and no
/// response is cut off.
enum RolloutImages {
    static let gracefulCommand =
        #"CMD ["/bin/sh","-c","/bin/httpd -f -p 8080 -h /www & pid=$!; trap \"kill $pid; sleep 1; exit 0\" TERM; wait"]"#

    /// Builds `NAME:TAG` for each version (busybox httpd serving `/version` and `/actuator/health`
    /// on 8080) and returns the repository name.
    static func httpServer(_ prefix: String, versions: [String]) async throws -> String {
        let repository = TestImages.uniqueName(prefix)
        for version in versions {
            try await TestImages.build(
                "\(repository):\(version)",
                files: ["/www/version": version, "/www/actuator/health": #"{"status":"UP"}"#],
                changes: [gracefulCommand, "EXPOSE 8080/tcp"])
        }
        return repository
    }

    /// Builds `NAME:TAG`, a "bad" version: it serves `/version` but has no `/actuator/health`, so both
    /// the HTTP check and a `test -f /www/actuator/health` health command fail.
    static func bad(_ repository: String, tag: String) async throws {
        try await TestImages.build(
            "\(repository):\(tag)", files: ["/www/version": tag], changes: [gracefulCommand, "EXPOSE 8080/tcp"])
    }

    /// A service on `repository:tag` with an HTTP health check (and the matching Docker health command).
    static func service(
        _ name: String = "api", repository: String, tag: String, replicas: Int = 1, hostPort: Int,
        strategy: DeploymentStrategy = .init(), healthTimeout: Duration = .seconds(15)
    ) -> Service {
        var service = Service(
            name: name, runtime: .docker, image: ImageReference(repository: repository, tag: tag), replicas: replicas,
            ports: [PortMapping(hostIP: "127.0.0.1", hostPort: hostPort, containerPort: 8080)],
            health: HealthCheck(
                httpPath: "/actuator/health", port: 8080, command: ["/bin/test", "-f", "/www/actuator/health"],
                timeout: healthTimeout, interval: .seconds(1), retries: 2))
        service.strategy = strategy
        return service
    }
}

extension ProviderHarness {
    /// The same environment with a provider built with other options.
    func with(_ options: DockerRuntimeOptions) -> ProviderHarness {
        ProviderHarness(
            env: env, client: client, provider: DockerServiceProvider(client: client, logger: logger, options: options),
            logger: logger)
    }
}
