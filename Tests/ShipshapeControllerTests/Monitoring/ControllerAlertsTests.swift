import Foundation
import Logging
import ShipshapeController
import ShipshapeTesting
import Testing

/// The controller's alerts end to end, in process: configured from YAML, raised by the reconcile
/// loop, delivered to a recording webhook receiver; the webhook secret (a canary) never shows.
@Suite("Controller alerts", .serialized)
struct ControllerAlertsTests {
    @Test("invalid manifests alert, the fix sends a resolved notice; the secret stays out of logs, metrics and status")
    func invalidThenFixed() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-controller-alerts")
        defer { directory.remove() }
        let canary = "CANARY-\(UInt64.random(in: 0...UInt64.max))"
        let secretFile = try directory.write(canary + "\n", to: "secrets/webhook-secret", mode: 0o600)
        let receiver = try await RecordingHTTPServer.start()
        defer { Task { await receiver.stop() } }
        let env = "alerts\(UInt32.random(in: 0...UInt32.max))"
        let repo = try await GitWorkRepository.create(at: directory.appending("config"))
        try await repo.commit(
            "broken",
            files: [
                "manifests/base.yaml": "apiVersion: shipshape.io/v1\nkind: Base\nspec: {}\n",
                "manifests/\(env).yaml": "apiVersion: shipshape.io/v1\nkind: Environment\nmetadata: { name: \(env) }\nspec: { servics: {} }\n",
            ])
        let broken = try await repo.head()
        let yaml = """
            git: { url: "\(repo.fileURL)", pollInterval: 500ms }
            environments: [\(env)]
            stateDirectory: \(directory.appending("state"))
            listen: 127.0.0.1:0
            alerts:
              sinks:
                ops: { type: webhook, url: "\(receiver.baseURL)/hook", secretFile: \(secretFile) }
            """
        let configuration = try ControllerConfiguration.parse(yaml, file: "config.yaml")
        let (logger, logs) = RecordingLogHandler.logger()
        let controller = try await Controller(configuration: configuration, logger: logger)
        let running = try await RunningController.start(controller)
        do {
            let first = try await receiver.waitForRequests(1, timeout: .seconds(120))
            let invalid = try #require(try first[0].json() as? [String: Any])
            #expect(invalid["kind"] as? String == "manifestInvalid")
            #expect(invalid["status"] as? String == "firing")
            #expect(invalid["revision"] as? String == broken)
            #expect((invalid["details"] as? [String])?.first?.contains("servics") == true, "\(invalid)")
            #expect(first[0].header(WebhookSink.signatureHeader)?.hasPrefix("sha256=") == true)

            try await repo.commit(
                "fixed",
                files: ["manifests/\(env).yaml": "apiVersion: shipshape.io/v1\nkind: Environment\nmetadata: { name: \(env) }\nspec: {}\n"])
            let fixed = try await repo.head()
            let all = try await receiver.waitForRequests(2, timeout: .seconds(120))
            let resolved = try #require(try all[1].json() as? [String: Any])
            #expect(resolved["kind"] as? String == "manifestInvalid")
            #expect(resolved["status"] as? String == "resolved")
            #expect(resolved["revision"] as? String == fixed)
            // Repeats of the broken revision were suppressed, not sent again.
            #expect(all.count == 2)

            // The dispatcher counts a delivery once the receiver's answer is in: wait for it.
            try await eventually("both deliveries counted", timeout: .seconds(120)) {
                try await running.metrics().contains("shipshape_alerts_sent_total{sink=\"ops\",result=\"success\"} 2")
            }
            let metrics = try await running.metrics()
            let status = try await running.get("/api/v1/status")
            for (what, text) in [("log", logs.text), ("metrics", metrics), ("status", status)] {
                #expect(!text.contains(canary), "the secret reached the \(what)")
            }
            for request in all { #expect(!request.text.contains(canary), "the secret reached an alert") }
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }
}
