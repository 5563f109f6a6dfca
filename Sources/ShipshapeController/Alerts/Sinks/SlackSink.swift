import Foundation
import ShipshapeManifest

/// Posts alerts to a Slack incoming webhook as Block Kit messages: a header, the summary, the
/// environment, revision (linked to the commit), severity and resource, what changed, and details.
///
/// The webhook URL carries its own credential, so it is a secret read from a file, and errors show
/// only `https://hooks.slack.com/…`.
public struct SlackSink: AlertSink {
    public let name: String
    private let webhookURL: SecretValue
    private let commitLink: @Sendable (String) -> String?
    private let http: AlertHTTPClient

    /// `commitLink` turns a revision into a URL for people (nil: the revision is shown unlinked).
    public init(
        name: String, webhookURL: SecretValue, http: AlertHTTPClient,
        commitLink: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.name = name
        self.webhookURL = webhookURL
        self.http = http
        self.commitLink = commitLink
    }

    public func accepts(_ event: AlertEvent) -> Bool { event.kind != .revisionApplying }

    public func deliver(_ event: AlertEvent) async throws {
        let endpoint = RedactedURL.describe(webhookURL.reveal(), keepPath: false)
        let body: [UInt8]
        do {
            body = Array(
                try JSONSerialization.data(
                    withJSONObject: Self.message(for: event, commitURL: commitLink(event.revision)),
                    options: [.sortedKeys, .withoutEscapingSlashes]))
        } catch {
            throw AlertDeliveryError.encoding("\(error)", sink: name, endpoint: endpoint)
        }
        // The path is the credential: scrub it on its own too, in case the receiver echoes it.
        var secrets = [webhookURL]
        if let path = URLComponents(string: webhookURL.reveal())?.path, path.count > 1 { secrets.append(SecretValue(path)) }
        try await http.post(webhookURL.reveal(), body: body, headers: [], sink: name, endpoint: endpoint, secrets: secrets)
    }

    /// The Slack message (`text` fallback and `blocks`) for `event`.
    public static func message(for event: AlertEvent, commitURL: String?) -> [String: Any] {
        let icon: String
        switch (event.status, event.severity) {
        case (.resolved, _): icon = "✅"
        case (_, .critical): icon = "🔴"
        case (_, .warning): icon = "🟠"
        case (_, .info): icon = event.kind == .revisionApplied || event.kind == .driftCorrected ? "🟢" : "🔵"
        }
        let resolved = event.status == .resolved ? " (resolved)" : ""
        let title = "\(icon) \(event.kind.title)\(resolved): \(event.environment)"
        let revision =
            event.revision.isEmpty
            ? "—"
            : commitURL.map { "<\($0)|`\(event.shortRevision)`>" } ?? "`\(event.shortRevision)`"
        var fields: [[String: Any]] = [
            mrkdwn("*Environment*\n\(escape(event.environment))"),
            mrkdwn("*Revision*\n\(revision)"),
            mrkdwn("*Severity*\n\(event.severity.rawValue)"),
        ]
        if let resource = event.resource { fields.append(mrkdwn("*Resource*\n`\(escape(resource))`")) }
        var blocks: [[String: Any]] = [
            ["type": "header", "text": ["type": "plain_text", "text": String(title.prefix(150)), "emoji": true]],
            ["type": "section", "text": mrkdwn(limit(escape(event.summary)))],
            ["type": "section", "fields": fields],
        ]
        if !event.changes.isEmpty {
            blocks.append(["type": "section", "text": mrkdwn(limit("*What changed*\n```\(escape(event.changes.joined(separator: "\n")))```"))])
        }
        if !event.details.isEmpty {
            blocks.append(["type": "section", "text": mrkdwn(limit("*Details*\n```\(escape(event.details.joined(separator: "\n")))```"))])
        }
        blocks.append([
            "type": "context",
            "elements": [mrkdwn("shipshape · `\(event.kind.rawValue)` · \(event.status.rawValue)")],
        ])
        return ["text": "\(title) — \(event.summary)", "blocks": blocks]
    }

    private static func mrkdwn(_ text: String) -> [String: Any] { ["type": "mrkdwn", "text": text] }

    /// Slack's mrkdwn needs `&`, `<` and `>` escaped.
    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Slack refuses section texts over 3000 characters.
    private static func limit(_ text: String) -> String {
        text.count <= 2900 ? text : String(text.prefix(2880)) + "\n… (truncated)```"
    }
}
