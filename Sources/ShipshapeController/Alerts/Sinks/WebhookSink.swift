import Crypto
import Foundation

/// Posts alerts as JSON (`WebhookPayload`) to any HTTP endpoint.
///
/// With a secret, each request carries `X-Shipshape-Signature-256: sha256=<hex HMAC-SHA256 of the
/// exact body>`, so the receiver can check that the body came from this controller. Also sent:
/// `X-Shipshape-Event` (the kind) and `X-Shipshape-Delivery` (the payload id).
public struct WebhookSink: AlertSink {
    public static let signatureHeader = "X-Shipshape-Signature-256"

    public let name: String
    private let url: String
    private let secret: SecretValue?
    private let http: AlertHTTPClient
    private let commitLink: @Sendable (String) -> String?

    public init(
        name: String, url: String, secret: SecretValue?, http: AlertHTTPClient,
        commitLink: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.name = name
        self.url = url
        self.secret = secret
        self.http = http
        self.commitLink = commitLink
    }

    public func accepts(_ event: AlertEvent) -> Bool { true }

    public func deliver(_ event: AlertEvent) async throws {
        let endpoint = RedactedURL.describe(url)
        let payload = WebhookPayload(event: event, commitURL: commitLink(event.revision))
        let body = try AlertHTTPClient.json(payload, sink: name, endpoint: endpoint)
        var headers = [("X-Shipshape-Event", event.kind.rawValue), ("X-Shipshape-Delivery", payload.id)]
        if let secret { headers.append((Self.signatureHeader, Self.signature(body: body, secret: secret))) }
        try await http.post(url, body: body, headers: headers, sink: name, endpoint: endpoint, secrets: secret.map { [$0] } ?? [])
    }

    /// `sha256=` and the lowercase hex HMAC-SHA256 of `body` keyed with `secret`.
    public static func signature(body: [UInt8], secret: SecretValue) -> String {
        let key = SymmetricKey(data: Data(secret.reveal().utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
