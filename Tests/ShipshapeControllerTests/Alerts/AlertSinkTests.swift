import Foundation
import Logging
import ShipshapeController
import ShipshapeTesting
import Testing

/// What each HTTP sink sends, recorded by a real HTTP server standing in for Slack, a webhook
/// receiver and the GitHub API.
@Suite("Alert sinks")
struct AlertSinkTests {
    static let revision = "3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"

    static func applied() -> AlertEvent {
        AlertEvent(
            .revisionApplied, environment: "prod", revision: revision,
            summary: "Applied 3f2a9c1d8e7b to prod: 1 update",
            changes: ["~ service/api: tag 1.0.0 → 1.0.1"])
    }

    @Test("Slack: blocks with environment, linked revision, severity, what changed")
    func slack() async throws {
        let server = try await RecordingHTTPServer.start()
        defer { Task { await server.stop() } }
        let sink = SlackSink(
            name: "team", webhookURL: SecretValue("\(server.baseURL)/services/T000/B000/XXXX"), http: AlertHTTPClient(),
            commitLink: { "https://github.com/example-org/config/commit/\($0)" })
        try await sink.deliver(Self.applied())
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.uri == "/services/T000/B000/XXXX")
        #expect(request.header("Content-Type") == "application/json")
        let body = try #require(try request.json() as? [String: Any])
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        #expect(blocks.first?["type"] as? String == "header")
        let text = request.text
        #expect(text.contains("*Environment*\\nprod"))
        #expect(text.contains("<https://github.com/example-org/config/commit/\(Self.revision)|`3f2a9c1d8e7b`>"))
        #expect(text.contains("*What changed*"))
        #expect(text.contains("~ service/api: tag 1.0.0 → 1.0.1"))
        #expect((body["text"] as? String)?.contains("Revision applied: prod") == true)
        #expect(!sink.accepts(AlertEvent(.revisionApplying, environment: "prod", revision: Self.revision, summary: "x")))
    }

    @Test("webhook: documented JSON body, signature that openssl verifies")
    func webhook() async throws {
        let server = try await RecordingHTTPServer.start()
        defer { Task { await server.stop() } }
        let secret = "s3cr3t-\(UInt32.random(in: 0...UInt32.max))"
        let sink = WebhookSink(
            name: "ops", url: "\(server.baseURL)/hooks/shipshape", secret: SecretValue(secret + "\n"), http: AlertHTTPClient(),
            commitLink: { "https://example.org/c/\($0)" })
        try await sink.deliver(Self.applied())
        let request = try #require(server.requests.first)
        #expect(request.uri == "/hooks/shipshape")
        #expect(request.header("X-Shipshape-Event") == "revisionApplied")
        let body = try #require(try request.json() as? [String: Any])
        #expect(body["schema"] as? String == "shipshape.alert/v1")
        #expect(body["kind"] as? String == "revisionApplied")
        #expect(body["status"] as? String == "firing")
        #expect(body["severity"] as? String == "info")
        #expect(body["environment"] as? String == "prod")
        #expect(body["revision"] as? String == Self.revision)
        #expect(body["changes"] as? [String] == ["~ service/api: tag 1.0.0 → 1.0.1"])
        #expect(body["commitURL"] as? String == "https://example.org/c/\(Self.revision)")
        #expect((body["occurredAt"] as? String)?.hasSuffix("Z") == true)
        #expect((body["id"] as? String)?.count == 16)
        #expect(request.header("X-Shipshape-Delivery") == body["id"] as? String)

        // The receiver's check, as docs/alerts.md shows it: HMAC-SHA256 of the raw body.
        let directory = try TemporaryDirectory(prefix: "shipshape-webhook")
        defer { directory.remove() }
        let bodyFile = directory.appending("body.json")
        try Data(request.body).write(to: URL(fileURLWithPath: bodyFile))
        let openssl = try await Command.run(["openssl", "dgst", "-sha256", "-hmac", secret, "-r", bodyFile])
        let expected = "sha256=" + (openssl.stdout.split(separator: " ").first.map(String.init) ?? "")
        #expect(request.header(WebhookSink.signatureHeader) == expected)
    }

    @Test("GitHub: pending, then success or failure on the applied commit, with the token")
    func gitHubStatus() async throws {
        let server = try await RecordingHTTPServer.start { _ in .init(status: 201, body: "{}") }
        defer { Task { await server.stop() } }
        let sink = GitHubStatusSink(
            name: "github", apiURL: "\(server.baseURL)/api/v3/", repository: "example-org/config",
            token: SecretValue("ghp_test_token"), targetURL: "https://shipshape.example.org/status", http: AlertHTTPClient())
        let events = [
            AlertEvent(.revisionApplying, environment: "prod", revision: Self.revision, summary: "Applying: 1 update"),
            Self.applied(),
            AlertEvent(.reconcileFailed, environment: "staging", revision: Self.revision, summary: "update service/api failed"),
            AlertEvent(.driftDetected, environment: "prod", revision: Self.revision, summary: "drift"),
        ]
        for event in events where sink.accepts(event) { try await sink.deliver(event) }
        #expect(!sink.accepts(AlertEvent(.revisionApplied, environment: "prod", revision: "not-a-commit", summary: "x")))
        let requests = server.requests
        #expect(requests.count == 3)
        for request in requests {
            #expect(request.uri == "/api/v3/repos/example-org/config/statuses/\(Self.revision)")
            #expect(request.header("Authorization") == "Bearer ghp_test_token")
            #expect(request.header("Accept") == "application/vnd.github+json")
        }
        let bodies = try requests.map { try #require(try $0.json() as? [String: Any]) }
        #expect(bodies.map { $0["state"] as? String } == ["pending", "success", "failure"])
        #expect(bodies.map { $0["context"] as? String } == ["shipshape/prod", "shipshape/prod", "shipshape/staging"])
        #expect(bodies[1]["description"] as? String == "Applied 3f2a9c1d8e7b to prod: 1 update")
        #expect(bodies[0]["target_url"] as? String == "https://shipshape.example.org/status")
    }

    @Test("errors name the sink and the redacted endpoint, never the secret, even when the receiver echoes it")
    func errorsNeverShowSecrets() async throws {
        let canary = "CANARY-\(UInt64.random(in: 0...UInt64.max))"
        let server = try await RecordingHTTPServer.start { request in
            .init(status: 401, body: "bad credentials: \(request.header("Authorization") ?? "") \(request.uri)")
        }
        defer { Task { await server.stop() } }
        let github = GitHubStatusSink(
            name: "github", apiURL: server.baseURL, repository: "o/r", token: SecretValue(canary), targetURL: nil,
            http: AlertHTTPClient())
        let slack = SlackSink(name: "team", webhookURL: SecretValue("\(server.baseURL)/services/\(canary)"), http: AlertHTTPClient())
        for sink in [github, slack] as [any AlertSink] {
            let error = await #expect(throws: AlertDeliveryError.self) { try await sink.deliver(Self.applied()) }
            let text = "\(error.map { "\($0)" } ?? "")"
            #expect(text.contains("alert sink \(sink.name)"))
            #expect(text.contains("HTTP 401"))
            #expect(text.contains("http://127.0.0.1:\(server.port)"))
            #expect(!text.contains(canary), "\(text)")
        }
        // A receiver that is not there: the transport error shows no secret either.
        let closed = try LoopbackPort.free()
        let unreachable = SlackSink(
            name: "team", webhookURL: SecretValue("http://127.0.0.1:\(closed)/services/\(canary)"),
            http: AlertHTTPClient(timeout: .seconds(1)))
        let error = await #expect(throws: AlertDeliveryError.self) { try await unreachable.deliver(Self.applied()) }
        #expect(!"\(error.map { "\($0)" } ?? "")".contains(canary))
        #expect("\(SecretValue(canary))" == "<redacted>")
        #expect(RedactedURL.describe("https://user:pw@hooks.example.org/x?token=\(canary)#f") == "https://hooks.example.org/x")
        #expect(RedactedURL.describe("https://hooks.slack.com/services/T0/B0/\(canary)", keepPath: false) == "https://hooks.slack.com/…")
    }
}
