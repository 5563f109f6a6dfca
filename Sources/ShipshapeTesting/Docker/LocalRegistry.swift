import Foundation

/// A real image registry for tests: Debian's `docker-registry` (CNCF distribution) on a free
/// loopback port, storing into a temporary directory, optionally protected by htpasswd.
///
/// The docker CLI pushes to it as `127.0.0.1:PORT/NAME:TAG` (loopback needs no insecure-registry
/// setting). `stop()` ends the process and deletes the storage.
public final class LocalRegistry: Sendable {
    /// Username and password of an htpasswd-protected registry.
    public struct Credentials: Sendable {
        /// The user name.
        public var username: String
        /// The password (a test value, never a real secret).
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    /// The port on 127.0.0.1.
    public let port: Int
    /// The credentials when the registry requires them.
    public let credentials: Credentials?
    private let process: BackgroundProcess
    private let directory: TemporaryDirectory

    /// The registry's filesystem storage (`rootdirectory`), for tests that damage it on purpose.
    public var storagePath: String { directory.appending("data") }

    /// `127.0.0.1:PORT`, the registry part of image references.
    public var address: String { "127.0.0.1:\(port)" }

    private init(port: Int, credentials: Credentials?, process: BackgroundProcess, directory: TemporaryDirectory) {
        self.port = port
        self.credentials = credentials
        self.process = process
        self.directory = directory
    }

    /// Starts a registry and waits until it listens. With `credentials`, every request needs them
    /// (the password file is made with `htpasswd -Bbn` from apache2-utils).
    public static func start(credentials: Credentials? = nil) async throws -> LocalRegistry {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-registry") else {
            throw HarnessError("docker-registry is missing: apt-get install -y docker-registry")
        }
        let directory = try TemporaryDirectory(prefix: "shipshape-registry")
        do {
            var authSection = ""
            if let credentials {
                let output: Command.Output
                do {
                    output = try await Command.run(["htpasswd", "-Bbn", credentials.username, credentials.password])
                } catch {
                    throw HarnessError("cannot run htpasswd (apt-get install -y apache2-utils): \(error)")
                }
                let htpasswd = try directory.write(output.stdout, to: "htpasswd")
                authSection = """
                    auth:
                      htpasswd:
                        realm: shipshape-test
                        path: \(htpasswd)

                    """
            }
            // A port picked as free can be taken before the registry binds it: try a few.
            var lastError: (any Error)?
            for attempt in 1...3 {
                let port = try LoopbackPort.free()
                let config = try directory.write(
                    """
                    version: 0.1
                    log:
                      level: info
                    storage:
                      filesystem:
                        rootdirectory: \(directory.appending("data"))
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:\(port)
                      secret: shipshape-test-\(UInt64.random(in: .min ... .max))
                    \(authSection)
                    """, to: "config-\(attempt).yml")
                let process = try BackgroundProcess(
                    name: "registry-\(attempt)", ["docker-registry", "serve", config], logDirectory: directory.path)
                do {
                    try await waitUntilListening(port, process: process)
                    return LocalRegistry(port: port, credentials: credentials, process: process, directory: directory)
                } catch {
                    lastError = error
                    await process.stop()
                }
            }
            throw lastError ?? HarnessError("docker-registry did not start")
        } catch {
            directory.remove()
            throw error
        }
    }

    private static func waitUntilListening(_ port: Int, process: BackgroundProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if LoopbackPort.isOpen(port) { return }
            guard process.isRunning else {
                throw HarnessError("docker-registry exited on start: \(process.recentOutput())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("docker-registry did not listen on 127.0.0.1:\(port) within 20 s: \(process.recentOutput())")
    }

    /// Pushes the local image `localReference` as `repository:tag` and returns the registry
    /// reference (`127.0.0.1:PORT/repository:tag`). With `untagLocally`, the registry tag is removed
    /// from the daemon afterwards so that pulling it really pulls.
    @discardableResult
    public func push(_ localReference: String, as repository: String, tag: String, untagLocally: Bool = true)
        async throws
        -> String
    {
        let remote = "\(address)/\(repository):\(tag)"
        try await Command.run(["docker", "tag", localReference, remote])
        let environment = try await dockerConfigEnvironment()
        do {
            try await Command.run(["docker", "push", remote], environment: environment)
        } catch {
            throw HarnessError("cannot push \(remote) to the test registry: \(error)\n\(process.recentOutput())")
        }
        if untagLocally { try await Command.run(["docker", "rmi", remote]) }
        return remote
    }

    /// The docker CLI configuration `push` uses (`DOCKER_CONFIG`); after a push to a protected
    /// registry, its `config.json` holds the login, as `docker login` writes it.
    public var dockerConfigDirectory: String { directory.appending("docker-config") }

    /// A private docker CLI configuration (logged in when the registry needs credentials), so parallel
    /// tests never share or touch `~/.docker`.
    private func dockerConfigEnvironment() async throws -> [String: String] {
        let configDirectory = dockerConfigDirectory
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        let environment = ["DOCKER_CONFIG": configDirectory]
        if let credentials {
            try await Command.run(
                ["docker", "login", "--username", credentials.username, "--password-stdin", address],
                environment: environment, input: Data(credentials.password.utf8))
        }
        return environment
    }

    /// The registry's log, for failure messages.
    public func recentLog() -> String { process.recentOutput() }

    /// Stops the registry and deletes its storage.
    public func stop() async {
        await process.stop()
        directory.remove()
    }
}
