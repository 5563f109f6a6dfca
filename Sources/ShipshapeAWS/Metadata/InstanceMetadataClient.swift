import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The EC2 instance metadata service, over IMDSv2: the one client for it (the instance role's
/// credentials in `IMDSCredentialProvider`, the instance id for the ELBv2 traffic switch).
///
/// `PUT /latest/api/token` (header `X-aws-ec2-metadata-token-ttl-seconds`) gives a session token,
/// reused until one minute before its TTL ends; every `GET` carries it (`X-aws-ec2-metadata-token`).
/// The endpoint is `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `http://169.254.169.254`;
/// `AWS_EC2_METADATA_DISABLED=true` turns it off. Each call has `timeout` (1 s, as the SDKs) and is
/// tried `attempts` times (3); a 4xx other than 401 is not retried. Failures are `AWSError`s with
/// code `InstanceMetadataUnavailable` whose message starts with `instance metadata (IMDSv2):`.
public actor InstanceMetadataClient {
    public nonisolated let endpoint: URL
    public nonisolated let tokenTTL: Int
    public nonisolated let timeout: Duration
    public nonisolated let attempts: Int
    /// Whether `AWS_EC2_METADATA_DISABLED` is true.
    public nonisolated let disabled: Bool
    private let httpClient: HTTPClient
    private let now: @Sendable () -> Date
    private var token: (value: String, expires: Date)?
    private var instanceIDValue: String?

    /// The code of every error this client throws.
    public static let unavailableCode = "InstanceMetadataUnavailable"

    /// Creates the client; it uses `httpClient` (which the caller owns) for the metadata calls.
    public init(
        httpClient: HTTPClient,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        tokenTTL: Int = 21600,
        timeout: Duration = .seconds(1),
        attempts: Int = 3,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.httpClient = httpClient
        endpoint =
            URL(string: environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "") ?? URL(
                string: "http://169.254.169.254")!
        disabled = environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
        self.tokenTTL = tokenTTL
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.now = now
    }

    /// The text at `path` (e.g. `/latest/meta-data/instance-id`), trimmed.
    public func get(_ path: String) async throws -> String {
        guard !disabled else { throw failure("AWS_EC2_METADATA_DISABLED is true") }
        let token = try await sessionToken()
        var request = HTTPClientRequest(url: url(path))
        request.headers.add(name: "X-aws-ec2-metadata-token", value: token)
        return try await execute(request, what: "GET \(path)")
    }

    /// This instance's id (`i-0123456789abcdef0`), asked once and remembered.
    public func instanceID() async throws -> String {
        if let instanceIDValue { return instanceIDValue }
        let value = try await get("/latest/meta-data/instance-id")
        guard value.hasPrefix("i-"), !value.contains(where: \.isWhitespace) else {
            throw failure("/latest/meta-data/instance-id answered `\(value.prefix(40))`, not an instance id")
        }
        instanceIDValue = value
        return value
    }

    private func sessionToken() async throws -> String {
        if let token, token.expires > now() { return token.value }
        var request = HTTPClientRequest(url: url("/latest/api/token"))
        request.method = .PUT
        request.headers.add(name: "X-aws-ec2-metadata-token-ttl-seconds", value: String(tokenTTL))
        let value = try await execute(request, what: "PUT /latest/api/token")
        token = (value, now().addingTimeInterval(TimeInterval(tokenTTL - 60)))
        return value
    }

    private func execute(_ request: HTTPClientRequest, what: String) async throws -> String {
        var lastError: AWSError?
        for attempt in 1...attempts {
            do {
                let response = try await httpClient.execute(
                    request,
                    timeout: .nanoseconds(
                        Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds
                            / 1_000_000_000))
                let body = try await response.body.collect(upTo: 1 << 20)
                guard response.status.code == 200 else {
                    let error = failure("\(what) answered HTTP \(response.status.code)")
                    // 4xx other than 401 (token expired) will not change on retry.
                    if response.status.code != 401 && response.status.code < 500 { throw error }
                    lastError = error
                    continue
                }
                return String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch let error as AWSError {
                throw error
            } catch {
                lastError = failure(
                    "\(what) to \(AWSEndpointResolver.sanitized(endpoint)) failed (attempt \(attempt) of \(attempts)): \(error)"
                )
            }
        }
        throw lastError ?? failure("\(what) failed")
    }

    private nonisolated func url(_ path: String) -> String {
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// An error of this client: `instance metadata (IMDSv2): MESSAGE`.
    nonisolated func failure(_ message: String) -> AWSError {
        AWSError(
            code: Self.unavailableCode, message: "instance metadata (IMDSv2): \(message)",
            service: "imds", operation: "metadata", classification: .client)
    }
}
