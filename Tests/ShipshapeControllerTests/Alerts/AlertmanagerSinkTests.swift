import Foundation
import Logging
import ShipshapeController
import ShipshapeTesting
import Testing

/// The Alertmanager sink against a real `prometheus-alertmanager`.
@Suite("Alertmanager sink")
struct AlertmanagerSinkTests {
    @Test("a firing alert is read back with its labels, and the resolved notice resolves it")
    func firesAndResolves() async throws {
        let alertmanager = try await AlertmanagerServer.start()
        defer { Task { await alertmanager.stop() } }
        let env = "am\(UInt32.random(in: 0...UInt32.max))"
        let revision = String(repeating: "c", count: 40)
        let (logger, _) = RecordingLogHandler.logger()
        var configuration = AlertsConfiguration()
        configuration.sinks = [.init(name: "am", destination: .alertmanager(url: alertmanager.baseURL, ttl: .seconds(3600)))]
        configuration.commitURL = "https://github.com/example-org/config/commit/{revision}"
        let dispatcher = try AlertDispatcher(configuration: configuration, metrics: nil, clock: ContinuousClock(), logger: logger)
        let task = Task { try await dispatcher.run() }

        dispatcher.send(
            AlertEvent(
                .reconcileFailed, environment: env, revision: revision, resource: "service/api",
                summary: "update service/api failed", details: ["container exited with status 1"]))
        // Not a problem and not a rollback: Alertmanager does not get it.
        dispatcher.send(AlertEvent(.revisionApplied, environment: env, revision: revision, summary: "applied"))

        let fired = try await waitFor("the alert in Alertmanager", alertmanager) { alerts in
            alerts.first { $0.labels["env"] == env }
        }
        #expect(fired.labels == [
            "alertname": "ShipshapeReconcileFailed", "env": env, "kind": "reconcileFailed", "severity": "critical",
            "source": "shipshape", "resource": "service/api",
        ])
        #expect(fired.annotations["summary"] == "update service/api failed")
        #expect(fired.annotations["revision"] == revision)
        #expect(fired.annotations["description"] == "container exited with status 1")
        #expect(fired.annotations["commit_url"] == "https://github.com/example-org/config/commit/\(revision)")
        #expect(fired.state == "active")
        #expect(try await alertmanager.alerts().filter { $0.labels["env"] == env }.count == 1)

        dispatcher.send(.resolved(.reconcileFailed, environment: env, revision: revision, resource: "service/api"))
        _ = try await waitFor("the alert resolved", alertmanager) { alerts in
            alerts.contains { $0.labels["env"] == env } ? nil : true
        }
        dispatcher.finish()
        try await task.value
    }

    func waitFor<T>(
        _ what: String, _ alertmanager: AlertmanagerServer, _ check: ([AlertmanagerServer.Alert]) -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let found = check(try await alertmanager.alerts()) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("timed out waiting for \(what); alertmanager log:\n\(alertmanager.recentOutput())")
    }
}
