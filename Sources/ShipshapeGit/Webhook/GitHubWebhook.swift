import Crypto
import Foundation

/// Verifies and decodes GitHub webhook deliveries for the controller's webhook route.
///
/// Pure: the HTTP server passes the headers and the body. The signature (`X-Hub-Signature-256:
/// sha256=<hex HMAC-SHA256 of the body>`) is checked in constant time before the body is parsed;
/// bodies over `maximumBodySize` are refused before anything else. The secret never appears in
/// errors or descriptions.
public struct GitHubWebhook: Sendable {
    /// GitHub caps payloads at 25 MB; push events for a config repository are a few KB.
    public static let defaultMaximumBodySize = 1 << 20

    private let key: SymmetricKey
    /// Bodies larger than this are refused with 413.
    public let maximumBodySize: Int

    /// A verifier for `secret` (the webhook secret configured on GitHub).
    public init(secret: [UInt8], maximumBodySize: Int = Self.defaultMaximumBodySize) {
        key = SymmetricKey(data: secret)
        self.maximumBodySize = maximumBodySize
    }

    /// A verifier whose secret is the first line of `secretFile`.
    public init(secretFile: String, maximumBodySize: Int = Self.defaultMaximumBodySize) throws {
        guard let data = FileManager.default.contents(atPath: secretFile) else {
            throw GitHubWebhookError(.secretUnavailable, "the webhook secret file \(secretFile) cannot be read")
        }
        let secret = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !secret.isEmpty else {
            throw GitHubWebhookError(.secretUnavailable, "the webhook secret file \(secretFile) is empty")
        }
        self.init(secret: Array(secret.utf8), maximumBodySize: maximumBodySize)
    }

    /// Checks the size cap and `X-Hub-Signature-256` of a delivery.
    public func verify(signature header: String?, body: some Collection<UInt8>) throws {
        guard body.count <= maximumBodySize else {
            throw GitHubWebhookError(.bodyTooLarge, "webhook body of \(body.count) bytes exceeds the limit of \(maximumBodySize) bytes")
        }
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
            throw GitHubWebhookError(.missingSignature, "webhook request has no X-Hub-Signature-256 header")
        }
        guard header.hasPrefix("sha256="), let mac = Self.decodeHex(header.dropFirst("sha256=".count)), mac.count == 32 else {
            throw GitHubWebhookError(.invalidSignature, "webhook X-Hub-Signature-256 header is not 'sha256=<64 hex digits>'")
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(body), using: key) else {
            throw GitHubWebhookError(.invalidSignature, "webhook signature does not match: the secret differs or the body was altered")
        }
    }

    /// Verifies a delivery and decodes it. `event` is the `X-GitHub-Event` header.
    public func event(name event: String?, signature: String?, body: some Collection<UInt8>) throws -> GitHubWebhookEvent {
        try verify(signature: signature, body: body)
        let data = Data(body)
        switch event {
        case "ping":
            let ping = try decode(Ping.self, from: data, event: "ping")
            return .ping(hookID: ping.hook_id, zen: ping.zen)
        case "push":
            let push = try decode(Push.self, from: data, event: "push")
            return .push(
                GitHubPush(
                    repositoryFullName: push.repository.full_name, cloneURL: push.repository.clone_url,
                    sshURL: push.repository.ssh_url, htmlURL: push.repository.html_url, ref: push.ref, before: push.before,
                    after: push.after, deleted: push.deleted ?? false, forced: push.forced ?? false))
        case let name?:
            return .other(name)
        case nil:
            throw GitHubWebhookError(.malformedPayload, "webhook request has no X-GitHub-Event header")
        }
    }

    /// `HMAC-SHA256` of `body` as GitHub sends it (`sha256=<hex>`); for tests and senders.
    public func signature(for body: some Collection<UInt8>) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body), using: key)
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    private func decode<T: Decodable>(_ type: T.Type, from data: Data, event: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw GitHubWebhookError(.malformedPayload, "webhook body is not a valid '\(event)' payload: \(error)")
        }
    }

    private static func decodeHex(_ text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    private struct Ping: Decodable {
        var zen: String?
        var hook_id: Int?
    }

    private struct Push: Decodable {
        struct Repository: Decodable {
            var full_name: String
            var clone_url: String?
            var ssh_url: String?
            var html_url: String?
        }
        var ref: String
        var before: String?
        var after: String
        var deleted: Bool?
        var forced: Bool?
        var repository: Repository
    }
}
