/// How the controller decides that a replica is healthy.
///
/// With `httpPath`, the controller sends `GET http://127.0.0.1:<published port of port><path>` and
/// treats 2xx as healthy; with `command`, the image's own health command runs in the container.
public struct HealthCheck: Sendable, Hashable {
    /// `http:` path probed with GET, starting with `/`.
    public var httpPath: String?
    /// Container port the HTTP probe targets (default: the first published port's container port).
    public var port: Int?
    /// `command:` an exec probe run inside the container; exit status 0 is healthy.
    public var command: [String]?
    /// How long a new replica has to become healthy before the rollout fails (default 60s).
    public var timeout: Duration
    /// Time between probes (default 5s).
    public var interval: Duration
    /// Consecutive failed probes after which a running replica counts as unhealthy (default 3).
    public var retries: Int

    /// Creates a health check.
    public init(
        httpPath: String? = nil,
        port: Int? = nil,
        command: [String]? = nil,
        timeout: Duration = .seconds(60),
        interval: Duration = .seconds(5),
        retries: Int = 3
    ) {
        self.httpPath = httpPath
        self.port = port
        self.command = command
        self.timeout = timeout
        self.interval = interval
        self.retries = retries
    }
}
