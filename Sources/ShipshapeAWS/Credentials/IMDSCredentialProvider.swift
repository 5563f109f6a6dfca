import AsyncHTTPClient
import Foundation
import Logging

/// The EC2 instance role's credentials, over IMDSv2 (`InstanceMetadataClient`).
///
/// `GET /latest/meta-data/iam/security-credentials/` names the role, and
/// `GET …/security-credentials/{role}` returns the credentials JSON. Credentials are cached and
/// fetched again `refreshMargin` (5 minutes) before they expire. The metadata client's endpoint,
/// token, timeout and attempts apply (see there).
public actor IMDSCredentialProvider: CredentialProvider {
    public nonisolated let metadata: InstanceMetadataClient
    public nonisolated let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?

    public nonisolated var endpoint: URL { metadata.endpoint }
    public nonisolated var tokenTTL: Int { metadata.tokenTTL }
    public nonisolated var timeout: Duration { metadata.timeout }
    public nonisolated var attempts: Int { metadata.attempts }

    /// Creates the provider with its own metadata client on `httpClient` (which the caller owns).
    public init(
        httpClient: HTTPClient,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        refreshMargin: TimeInterval = 300,
        tokenTTL: Int = 21600,
        timeout: Duration = .seconds(1),
        attempts: Int = 3,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            metadata: InstanceMetadataClient(
                httpClient: httpClient, environment: environment, tokenTTL: tokenTTL, timeout: timeout,
                attempts: attempts, now: now),
            refreshMargin: refreshMargin, now: now)
    }

    /// Creates the provider on a metadata client shared with other users of IMDS.
    public init(
        metadata: InstanceMetadataClient, refreshMargin: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.metadata = metadata
        self.refreshMargin = refreshMargin
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
        let base = "/latest/meta-data/iam/security-credentials/"
        let roles = try await get(base)
        guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw failure("the instance has no IAM role attached")
        }
        let body = try await get(base + role)
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

    /// A metadata read whose failure is reported as missing credentials.
    private func get(_ path: String) async throws -> String {
        do {
            return try await metadata.get(path)
        } catch let error as AWSError {
            throw AWSError(
                code: AWSError.Code.noCredentials.rawValue, message: error.message, service: "credentials",
                operation: "imds", classification: .auth)
        }
    }

    private nonisolated func failure(_ message: String) -> AWSError {
        AWSError(
            code: AWSError.Code.noCredentials.rawValue, message: "instance metadata (IMDSv2): \(message)",
            service: "credentials", operation: "imds", classification: .auth)
    }
}
