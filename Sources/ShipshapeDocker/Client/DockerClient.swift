import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A client of the Docker Engine API (version 1.41) over the daemon's unix socket.
///
/// Every call is one HTTP request through `httpClient` (whose connection pool keeps the socket
/// open between calls). Failures are `DockerError`s naming the operation, the resource, the HTTP
/// status and the daemon's message; a missing or refused socket is `DockerError.Code.daemonUnreachable`.
public struct DockerClient: Sendable {
    /// The API version every path is prefixed with.
    public static let apiVersion = "1.41"

    /// Path of the daemon's socket.
    public let socketPath: String
    /// Deadline of ordinary requests (everything but pulls and waits).
    public let requestTimeout: Duration
    /// Deadline of an image pull, stream included.
    public let pullTimeout: Duration
    let httpClient: HTTPClient
    let logger: Logger

    /// Creates a client; nothing is contacted until the first call.
    ///
    /// - Parameter httpClient: the client whose pool holds the socket connections. The default,
    ///   `DockerClient.defaultHTTPClient`, fails at once when the socket refuses connections;
    ///   `HTTPClient.shared` would retry until each request's deadline.
    public init(
        socketPath: String = "/var/run/docker.sock",
        httpClient: HTTPClient = DockerClient.defaultHTTPClient,
        requestTimeout: Duration = .seconds(30),
        pullTimeout: Duration = .seconds(600),
        logger: Logger
    ) {
        self.socketPath = socketPath
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
        self.pullTimeout = pullTimeout
        self.logger = logger
    }

    /// Checks that the daemon answers (`GET /_ping`).
    public func ping() async throws {
        let response = try await send(.GET, "/_ping", operation: "ping", resource: socketPath)
        guard response.status == .ok else {
            throw error(for: response, operation: "ping", resource: socketPath)
        }
    }

    /// The daemon's version (`GET /version`).
    public func version() async throws -> DockerVersion {
        let wire = try await get(WireVersion.self, "/version", operation: "read version of", resource: "daemon")
        return DockerVersion(
            version: wire.version ?? "",
            apiVersion: wire.apiVersion ?? "",
            minAPIVersion: wire.minAPIVersion ?? "",
            os: wire.os ?? "",
            arch: wire.arch ?? "",
            kernelVersion: wire.kernelVersion ?? "")
    }
}

extension DockerClient {
    /// The HTTP client every `DockerClient` uses unless given another: connections to a unix socket
    /// either open at once or not at all, so a failed connection fails the request immediately
    /// (no retry with backoff until the deadline), and a quiet pull stream is not cut by a read
    /// timeout (the request deadline bounds it). Never shut down, like `HTTPClient.shared`.
    public static let defaultHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: nil)
        // A unix socket connection is cheap and dockerd serves many at once; a small pool would make
        // callers wait behind long pulls and health waits (and time out under load).
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
