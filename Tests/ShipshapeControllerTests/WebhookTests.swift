import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import ShipshapeController
import ShipshapeGit
import ShipshapeTesting
import Testing

/// GitHub push webhooks against a running controller: with a poll interval of a minute, only a
/// valid webhook can make the new commit appear within seconds.
@Suite("GitHub webhook", .serialized)
struct WebhookTests {
    static let secret = "webhook-secret-\(UInt64.random(in: 0...UInt64.max))"

    func post(_ port: Int, event: String, body: String, secret: String?) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/hooks/github")
        request.method = .POST
        request.headers.add(name: "X-GitHub-Event", value: event)
        request.headers.add(name: "Content-Type", value: "application/json")
        if let secret {
            let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array(secret.utf8)))
            request.headers.add(name: "X-Hub-Signature-256", value: "sha256=" + mac.map { String(format: "%02x", $0) }.joined())
        }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    func push(ref: String = "refs/heads/main", repository: String = "example/config", after: String) -> String {
        """
        {"ref":"\(ref)","before":"0000000000000000000000000000000000000000","after":"\(after)",
         "repository":{"full_name":"\(repository)","clone_url":"https://github.com/\(repository).git",
         "html_url":"https://github.com/\(repository)","ssh_url":"git@github.com:\(repository).git"}}
        """
    }

    @Test("forged or foreign webhooks change nothing; a valid push starts a fetch at once")
    func webhook() async throws {
        try await DeploymentHarness.with { harness in
            let port = try LoopbackPort.free()
            try await harness.repo.commit("v1", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.0", hostPort: port)])
            let secretFile = try harness.directory.write(Self.secret, to: "webhook-secret", mode: 0o600)
            var configuration = harness.configuration()
            configuration.git.pollInterval = .seconds(60)
            configuration.git.webhook = .init(secretFile: secretFile, repository: "example/config")
            try await harness.withController(configuration) { controller in
                try await eventually("v1 served") { try await served(port) == "1.0.0" }
                let v2 = try await harness.repo.commit(
                    "v2", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.1", hostPort: port)])

                #expect(try await post(controller.port, event: "ping", body: #"{"zen":"hi","hook_id":1}"#, secret: Self.secret).0 == 200)
                let forged = try await post(controller.port, event: "push", body: push(after: v2), secret: "wrong")
                #expect(forged.0 == 401)
                #expect(try await post(controller.port, event: "push", body: push(after: v2), secret: nil).0 == 401)
                let otherRepo = try await post(
                    controller.port, event: "push", body: push(repository: "someone/else", after: v2), secret: Self.secret)
                #expect(otherRepo.0 == 202 && otherRepo.1.contains("ignored"))
                let otherBranch = try await post(
                    controller.port, event: "push", body: push(ref: "refs/heads/feature", after: v2), secret: Self.secret)
                #expect(otherBranch.0 == 202 && otherBranch.1.contains("ignored"))
                let oversized = try await post(
                    controller.port, event: "push", body: String(repeating: " ", count: 2 << 20), secret: Self.secret)
                #expect(oversized.0 == 413)
                try await Task.sleep(for: .seconds(2))
                #expect(try await served(port) == "1.0.0", "nothing may change without a valid webhook")

                // Webhook to fetch start: the fetch counter moves right after the 202 (printed, not
                // asserted: timing belongs in BENCHMARKS.md, not in a test on a shared machine).
                func fetches() async throws -> String {
                    try await controller.metrics().split(separator: "\n")
                        .filter { $0.hasPrefix("shipshape_git_fetch_total") }.joined(separator: ",")
                }
                let before = try await fetches()
                let sent = ContinuousClock.now
                for round in 0..<5 {
                    let accepted = try await post(controller.port, event: "push", body: push(after: v2), secret: Self.secret)
                    #expect(accepted.0 == 202 && accepted.1.contains("accepted"))
                    if round == 0 {
                        try await eventually("a fetch after the webhook", timeout: .seconds(120)) { try await fetches() != before }
                        print("webhook sent to fetch counted: \(ContinuousClock.now - sent)")
                    }
                }
                try await eventually("v2 served after the webhook", timeout: .seconds(120)) {
                    try await served(port) == "1.0.1"
                }
                print("webhook burst to v2 served: \(ContinuousClock.now - sent)")
                let metrics = try await controller.metrics()
                #expect(metrics.contains("shipshape_webhooks_total{result=\"rejected\"} 3"))
                #expect(metrics.contains("shipshape_webhooks_total{result=\"accepted\"} 5"))
                #expect(!metrics.contains(Self.secret))
            }
        }
    }
}
