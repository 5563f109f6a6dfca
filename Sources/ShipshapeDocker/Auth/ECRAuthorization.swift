import Foundation

/// Registry credentials from Amazon ECR's `GetAuthorizationToken`, turned into a `RegistryAuth`.
///
/// ECR answers with `authorizationToken` = base64(`AWS:<password>`), the registry's
/// `proxyEndpoint` (`https://<account>.dkr.ecr.<region>.amazonaws.com`) and `expiresAt` (12 hours
/// later). This type only decodes that answer; calling AWS is the AWS client's job. The password
/// never appears in a description or an error.
public struct ECRAuthorization: Sendable, Hashable, CustomStringConvertible {
    /// The credentials to send with a pull from `registry`.
    public var auth: RegistryAuth
    /// The registry host, e.g. `"123456789012.dkr.ecr.us-east-1.amazonaws.com"`.
    public var registry: String
    /// When ECR stops accepting the password; nil when the answer did not say.
    public var expiresAt: Date?

    /// Decodes one `authorizationData` entry.
    ///
    /// - Throws: `DockerError` with code `invalidCredentials` when the token is not base64 of
    ///   `user:password` or the endpoint has no host.
    public init(authorizationToken: String, proxyEndpoint: String, expiresAt: Date?) throws {
        let resource = "ECR authorization for \(proxyEndpoint)"
        guard let decoded = Data(base64Encoded: authorizationToken.trimmingCharacters(in: .whitespacesAndNewlines)),
            let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else {
            throw DockerError(
                code: .invalidCredentials, operation: "decode", resource: resource,
                message: "the authorization token is not base64 of user:password; request a new token from ECR")
        }
        let username = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        guard !username.isEmpty, !password.isEmpty else {
            throw DockerError(
                code: .invalidCredentials, operation: "decode", resource: resource,
                message: "the authorization token has an empty user or password; request a new token from ECR")
        }
        let host = Self.host(of: proxyEndpoint)
        guard !host.isEmpty else {
            throw DockerError(
                code: .invalidCredentials, operation: "decode", resource: resource,
                message: "the proxy endpoint names no registry host")
        }
        registry = host
        auth = RegistryAuth(username: username, password: password, serverAddress: host)
        self.expiresAt = expiresAt
    }

    /// Decodes the JSON answer of `GetAuthorizationToken` (AWS JSON 1.1:
    /// `{"authorizationData": [{"authorizationToken", "proxyEndpoint", "expiresAt": <epoch seconds>}]}`),
    /// one entry per registry.
    public static func decode(getAuthorizationTokenResponse body: Data) throws -> [ECRAuthorization] {
        struct Response: Decodable {
            struct Entry: Decodable {
                var authorizationToken: String?
                var proxyEndpoint: String?
                var expiresAt: Double?
            }
            var authorizationData: [Entry]?
        }
        let response: Response
        do {
            response = try JSONDecoder().decode(Response.self, from: body)
        } catch {
            throw DockerError(
                code: .invalidCredentials, operation: "decode", resource: "ECR GetAuthorizationToken answer",
                message: "not the JSON of a GetAuthorizationToken answer")
        }
        return try (response.authorizationData ?? []).map { entry in
            guard let token = entry.authorizationToken, let endpoint = entry.proxyEndpoint else {
                throw DockerError(
                    code: .invalidCredentials, operation: "decode", resource: "ECR GetAuthorizationToken answer",
                    message: "an authorizationData entry lacks authorizationToken or proxyEndpoint")
            }
            return try ECRAuthorization(
                authorizationToken: token, proxyEndpoint: endpoint,
                expiresAt: entry.expiresAt.map { Date(timeIntervalSince1970: $0) })
        }
    }

    /// Whether the credentials expire within `margin` of `now` (refresh before they do).
    public func needsRefresh(at now: Date = Date(), margin: Duration = .seconds(15 * 60)) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt.timeIntervalSince(now) <= Double(margin.nanoseconds) / 1e9
    }

    /// Whether these credentials are for the registry of `imageReference` (`host/repo:tag`).
    public func matches(imageReference: String) -> Bool {
        imageReference.split(separator: "/", maxSplits: 1).first.map(String.init) == registry
    }

    public var description: String {
        "ECRAuthorization(\(registry)\(expiresAt.map { ", expires \($0)" } ?? ""))"
    }

    /// The host (and port) of an endpoint URL, or the endpoint itself when it has no scheme.
    static func host(of endpoint: String) -> String {
        var rest = Substring(endpoint.trimmingCharacters(in: .whitespacesAndNewlines))
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return String(rest)
    }
}
