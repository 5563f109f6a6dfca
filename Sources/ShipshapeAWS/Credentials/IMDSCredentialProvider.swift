import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The EC2 instance role's credentials, over IMDSv2.
///
/// `PUT /latest/api/token` (header `X-aws-ec2-metadata-token-ttl-seconds`) gives a session token;
/// `GET /latest/meta-data/iam/security-credentials/` names the role, and
/// `GET …/security-credentials/{role}` returns the credentials JSON. The endpoint is
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `http://169.254.169.254`; `AWS_EC2_METADATA_DISABLED=true`
/// turns the provider off. Credentials are cached and fetched again `refreshMargin` (5 minutes)
/// before they expire; the token is reused until one minute before its TTL ends. Each metadata call
/// has `timeout` (1 s, as the SDKs) and is tried `attempts` times (3).
public actor IMDSCredentialProvider: CredentialProvider {
    public nonisolated let endpoint: URL
    public nonisolated let refreshMargin: TimeInterval
    public nonisolated let tokenTTL: Int
    public nonisolated let timeout: Duration
    public nonisolated let attempts: Int
    private let disabled: Bool
    private let httpClient: HTTPClient
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var token: (value: String, expires: Date)?
    private var inFlight: Task<AWSCredentials, any Error>?

    /// Creates the provider; it uses `httpClient` (which the caller owns) for the metadata calls.
    public init(
        httpClient: HTTPClient,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        refreshMargin: TimeInterval = 300,
        tokenTTL: Int = 21600,
        timeout: Duration = .seconds(1),
        attempts: Int = 3,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.httpClient = httpClient
        endpoint = URL(string: environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "") ?? URL(string: "http://169.254.169.254")!
        disabled = environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
        self.refreshMargin = refreshMargin
        self.tokenTTL = tokenTTL
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.now = now
    }

    public func credentials(logger: Logger) async throws -> AWSCredentials {
        if let cached, !cached.expires(within: refreshMargin, of: now()) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await self.fetch(logger: logger) }
        inFlight = task
        defer { inFlight = nil }
        do {
            let fresh = try await task.value
            cached = fresh
            return fresh
        } catch {
            // Keep serving still-valid credentials if a refresh fails; they are not expired yet.
            if let cached, !cached.expires(within: 0, of: now()) {
                logger.warning("instance role credential refresh failed, using cached credentials", metadata: ["error": "\(error)"])
                return cached
            }
            throw error
        }
    }

    private struct RoleCredentials: Decodable {
        var Code: String?
        var AccessKeyId: String
        var SecretAccessKey: String
        var Token: String?
        var Expiration: String?
    }

    private func fetch(logger: Logger) async throws -> AWSCredentials {
        guard !disabled else { throw failure("AWS_EC2_METADATA_DISABLED is true") }
        let token = try await sessionToken()
        let base = "/latest/meta-data/iam/security-credentials/"
        let roles = try await get(base, token: token)
        guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw failure("the instance has no IAM role attached")
        }
        let body = try await get(base + role, token: token)
        guard let parsed = try? JSONDecoder().decode(RoleCredentials.self, from: Data(body.utf8)) else {
            throw failure("the credentials document for role \(role) is not valid JSON")
        }
        if let code = parsed.Code, code != "Success" { throw failure("role \(role) credentials status is \(code)") }
        let expiration = parsed.Expiration.flatMap { try? Date($0, strategy: .iso8601) }
        logger.debug("fetched instance role credentials", metadata: ["role": "\(role)"])
        return AWSCredentials(
            accessKeyID: parsed.AccessKeyId, secretAccessKey: parsed.SecretAccessKey, sessionToken: parsed.Token,
            expiration: expiration, source: "imds role \(role)")
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

    private func get(_ path: String, token: String) async throws -> String {
        var request = HTTPClientRequest(url: url(path))
        request.headers.add(name: "X-aws-ec2-metadata-token", value: token)
        return try await execute(request, what: "GET \(path)")
    }

    private func execute(_ request: HTTPClientRequest, what: String) async throws -> String {
        var lastError: AWSError?
        for attempt in 1...attempts {
            do {
                let response = try await httpClient.execute(
                    request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
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
                lastError = failure("\(what) to \(AWSEndpointResolver.sanitized(endpoint)) failed (attempt \(attempt) of \(attempts)): \(error)")
            }
        }
        throw lastError ?? failure("\(what) failed")
    }

    private nonisolated func url(_ path: String) -> String {
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    private nonisolated func failure(_ message: String) -> AWSError {
        AWSError(
            code: AWSError.Code.noCredentials.rawValue, message: "instance metadata (IMDSv2): \(message)",
            service: "credentials", operation: "imds", classification: .auth)
    }
}
