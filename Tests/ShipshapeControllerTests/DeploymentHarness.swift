import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ShipshapeController
import ShipshapeDocker
import ShipshapeTesting

/// A config repository, a registry with two versions of an HTTP image, and a controller to run
/// against them, all on loopback with unique names so tests run side by side.
struct DeploymentHarness: Sendable {
    let directory: TemporaryDirectory
    let registry: LocalRegistry
    let repo: GitWorkRepository
    let env: String
    let image: String
    let dockerSocket: String

    static func start(dockerSocket: String = "/var/run/docker.sock") async throws -> DeploymentHarness {
        let directory = try TemporaryDirectory(prefix: "shipshape-e2e")
        let registry = try await LocalRegistry.start()
        let repository = TestImages.uniqueName("community-api")
        for version in ["1.0.0", "1.0.1"] {
            let local = "\(repository)-local:\(version)"
            try await TestImages.buildHTTPServer(local, version: version)
            try await registry.push(local, as: repository, tag: version)
            await TestImages.remove(local)
        }
        let repo = try await GitWorkRepository.create(at: directory.appending("config"))
        try await repo.commit("base", files: ["manifests/base.yaml": "apiVersion: shipshape.io/v1\nkind: Base\nspec: {}\n"])
        return DeploymentHarness(
            directory: directory, registry: registry, repo: repo,
            env: "e2e\(UInt32.random(in: 0...UInt32.max))", image: "\(registry.address)/\(repository)",
            dockerSocket: dockerSocket)
    }

    /// An environment with one `api` service at `tag`; `services` adds more service blocks and
    /// `policy` a policy line (both YAML, indented for their place).
    func manifest(tag: String, hostPort: Int, services: String = "", policy: String? = nil) -> String {
        """
        apiVersion: shipshape.io/v1
        kind: Environment
        metadata:
          name: \(env)
        spec:
          services:
            api:
              runtime: docker
              image: \(image)
              tag: "\(tag)"
              replicas: 1
              ports: ["127.0.0.1:\(hostPort):8080"]
              health: { http: /actuator/health, port: 8080, timeout: 20s }
        \(services)\(policy.map { "  policy: \($0)\n" } ?? "")
        """
    }

    /// The admin token the controller's configuration points at.
    static let adminToken = "test-admin-token-\(UInt64.random(in: 0...UInt64.max))"

    func configuration() -> ControllerConfiguration {
        var git = ControllerConfiguration.Git(url: repo.fileURL)
        git.pollInterval = .milliseconds(500)
        var configuration = ControllerConfiguration(git: git)
        configuration.environments = [env]
        configuration.stateDirectory = directory.appending("state")
        configuration.listen = "127.0.0.1:0"
        configuration.docker.socket = dockerSocket
        configuration.adminTokenFile = try? directory.write(Self.adminToken, to: "admin-token", mode: 0o600)
        return configuration
    }

    func startController(_ configuration: ControllerConfiguration? = nil) async throws -> RunningController {
        var logger = Logger(label: "e2e")
        logger.logLevel = .debug
        let controller = try await Controller(configuration: configuration ?? self.configuration(), logger: logger)
        return try await RunningController.start(controller)
    }

    /// The containers Shipshape runs for this environment, running or not.
    func containers() async throws -> [ContainerSummary] {
        let client = DockerClient(socketPath: "/var/run/docker.sock", logger: Logger(label: "e2e"))
        return try await client.listContainers(
            all: true, labels: ["shipshape.io/environment": env, "shipshape.io/managed-by": "shipshape"])
    }

    /// Runs `body` with a fresh harness and cleans up (containers, images, registry, files) after,
    /// whether it passed or threw.
    static func with(
        dockerSocket: String = "/var/run/docker.sock", _ body: (DeploymentHarness) async throws -> Void
    ) async throws {
        let harness = try await start(dockerSocket: dockerSocket)
        do {
            try await body(harness)
        } catch {
            await harness.cleanUp()
            throw error
        }
        await harness.cleanUp()
    }

    func cleanUp() async {
        let ids = try? await Command.run(
            ["docker", "ps", "-aq", "--filter", "label=shipshape.io/environment=\(env)"], check: false)
        let list = (ids?.stdout ?? "").split(separator: "\n").map(String.init)
        if !list.isEmpty { _ = try? await Command.run(["docker", "rm", "-f"] + list, check: false) }
        await TestImages.remove(["\(image):1.0.0", "\(image):1.0.1"])
        await registry.stop()
        directory.remove()
    }

    /// Runs `body` with a controller started on this harness, and stops it after.
    func withController(
        _ configuration: ControllerConfiguration? = nil, _ body: (RunningController) async throws -> Void
    ) async throws {
        let controller = try await startController(configuration)
        do {
            try await body(controller)
        } catch {
            await controller.stop()
            throw error
        }
        await controller.stop()
    }
}

/// A controller running in this process, with its HTTP port.
final class RunningController: Sendable {
    let task: Task<Void, any Error>
    let port: Int

    static func start(_ controller: Controller) async throws -> RunningController {
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let task = Task {
            try await controller.run { port in continuation.yield(port) }
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw HarnessError("controller did not start its HTTP server") }
        return RunningController(task: task, port: port)
    }

    private init(task: Task<Void, any Error>, port: Int) {
        self.task = task
        self.port = port
    }

    func get(_ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(5))
        return String(buffer: try await response.body.collect(upTo: 8 << 20))
    }

    func metrics() async throws -> String { try await get("/metrics") }

    /// Cancels the controller and waits until it has stopped.
    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
