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
    public init(
        socketPath: String = "/var/run/docker.sock",
        httpClient: HTTPClient = .shared,
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
            version: wire.Version ?? "",
            apiVersion: wire.ApiVersion ?? "",
            minAPIVersion: wire.MinAPIVersion ?? "",
            os: wire.Os ?? "",
            arch: wire.Arch ?? "",
            kernelVersion: wire.KernelVersion ?? "")
    }
}
