import Foundation
import ShipshapeManifest

/// Posts alerts to an Alertmanager through its v2 API (`POST /api/v2/alerts`).
///
/// Labels identify the problem and stay the same from firing to resolved: `alertname`
/// (`Shipshape` + the kind, `ShipshapeReconcileFailed`), `env`, `kind`, `severity`, `source="shipshape"`
/// and `resource` when there is one. The revision, summary, details and commit link are annotations.
/// A firing alert ends `ttl` after it was sent unless repeated (the dispatcher repeats it once the
/// dedup window has passed; keep `ttl` longer than the window); a resolved notice sets `endsAt` to
/// now, which resolves it at once. Only problems and rollbacks are sent.
public struct AlertmanagerSink: AlertSink {
    public let name: String
    private let baseURL: String
    private let ttl: Duration
    private let http: AlertHTTPClient
    private let commitLink: @Sendable (String) -> String?

    /// One alert of the v2 API's `postableAlerts`.
    struct PostableAlert: Encodable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: Date
        var endsAt: Date
        var generatorURL: String?
    }

    public init(
        name: String, baseURL: String, ttl: Duration, http: AlertHTTPClient,
        commitLink: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.ttl = ttl
        self.http = http
        self.commitLink = commitLink
    }

    public func accepts(_ event: AlertEvent) -> Bool {
        event.kind.isProblem || event.kind == .rolledBack || event.kind == .applyInterrupted
    }

    /// The labels of `event`'s alert (the same for its firing and resolved notices).
    public static func labels(for event: AlertEvent) -> [String: String] {
        let kind = event.kind.rawValue
        var labels = [
            "alertname": "Shipshape" + kind.prefix(1).uppercased() + String(kind.dropFirst()),
            "env": event.environment,
            "kind": kind,
            "severity": event.severity.rawValue,
            "source": "shipshape",
        ]
        if let resource = event.resource { labels["resource"] = resource }
        return labels
    }

    public func deliver(_ event: AlertEvent) async throws {
        let url = baseURL + "/api/v2/alerts"
        let endpoint = RedactedURL.describe(url)
        var annotations = ["summary": event.summary, "revision": event.revision]
        if !event.details.isEmpty { annotations["description"] = event.details.joined(separator: "\n") }
        if !event.changes.isEmpty { annotations["changes"] = event.changes.joined(separator: "\n") }
        let link = commitLink(event.revision)
        if let link { annotations["commit_url"] = link }
        let now = Date()
        let endsAt = event.status == .resolved ? now : now.addingTimeInterval(ttl.seconds)
        let alert = PostableAlert(
            labels: Self.labels(for: event), annotations: annotations,
            startsAt: min(event.occurredAt, now), endsAt: endsAt, generatorURL: link)
        let body = try AlertHTTPClient.json([alert], sink: name, endpoint: endpoint)
        try await http.post(url, body: body, headers: [], sink: name, endpoint: endpoint, secrets: [])
    }
}
