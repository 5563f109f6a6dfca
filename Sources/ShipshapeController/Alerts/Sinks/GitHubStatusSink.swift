import Foundation

/// Sets GitHub commit statuses on the config repository's commits: `pending` while a revision is
/// being applied or waits for approval, `success` once applied, `failure` when it failed, was
/// invalid, refused or rolled back. The status context is `shipshape/<env>`, so each environment
/// shows as its own check on the commit (and on the pull request that merged it).
///
/// The API base URL is configurable (GitHub Enterprise, tests); the token is read from a file and
/// sent as `Authorization: Bearer`.
public struct GitHubStatusSink: AlertSink {
    public let name: String
    private let apiURL: String
    private let repository: String
    private let token: SecretValue
    private let targetURL: String?
    private let http: AlertHTTPClient

    /// The body of `POST /repos/{owner}/{repo}/statuses/{sha}`.
    struct StatusBody: Encodable {
        var state: String
        var description: String
        var context: String
        var target_url: String?
    }

    public init(name: String, apiURL: String, repository: String, token: SecretValue, targetURL: String?, http: AlertHTTPClient) {
        self.name = name
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.repository = repository
        self.token = token
        self.targetURL = targetURL
        self.http = http
    }

    /// The commit state for `event`, or nil when the event says nothing about a commit's outcome.
    public static func state(for event: AlertEvent) -> String? {
        guard event.status == .firing else { return nil }
        switch event.kind {
        case .revisionApplying, .approvalPending: return "pending"
        case .revisionApplied: return "success"
        case .reconcileFailed, .manifestInvalid, .signatureRefused, .rolledBack: return "failure"
        case .driftDetected, .driftCorrected, .gitUnreachable, .historyRewritten, .applyInterrupted: return nil
        }
    }

    public func accepts(_ event: AlertEvent) -> Bool {
        Self.state(for: event) != nil && Self.isCommitID(event.revision)
    }

    public func deliver(_ event: AlertEvent) async throws {
        let url = "\(apiURL)/repos/\(repository)/statuses/\(event.revision)"
        let endpoint = RedactedURL.describe(url)
        guard let state = Self.state(for: event) else { return }
        let body = StatusBody(
            state: state,
            // GitHub limits the description to 140 characters.
            description: String(event.summary.prefix(140)),
            context: "shipshape/\(event.environment)",
            target_url: targetURL)
        try await http.post(
            url, body: try AlertHTTPClient.json(body, sink: name, endpoint: endpoint),
            headers: [
                ("Authorization", "Bearer \(token.reveal())"),
                ("Accept", "application/vnd.github+json"),
                ("X-GitHub-Api-Version", "2022-11-28"),
            ],
            sink: name, endpoint: endpoint, secrets: [token])
    }

    static func isCommitID(_ revision: String) -> Bool {
        (revision.count == 40 || revision.count == 64) && revision.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
    }
}
