import Foundation
import Logging
import ShipshapeController
import ShipshapeTesting
import Testing

/// The whole `/metrics` output of a running controller: promtool finds nothing to complain about,
/// and a real Prometheus scrapes it and answers PromQL about the applied revision.
@Suite("Metrics exposition", .serialized)
struct MetricsExpositionTests {
    /// A config repository with one environment that has nothing to run (the reconcile converges at
    /// once), and a controller with an alert sink, started in this process.
    static func withController(_ body: (RunningController, String, String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-monitoring")
        defer { directory.remove() }
        let env = "mon\(UInt32.random(in: 0...UInt32.max))"
        let repo = try await GitWorkRepository.create(at: directory.appending("config"))
        try await repo.commit(
            "empty environment",
            files: [
                "manifests/base.yaml": "apiVersion: shipshape.io/v1\nkind: Base\nspec: {}\n",
                "manifests/\(env).yaml": "apiVersion: shipshape.io/v1\nkind: Environment\nmetadata: { name: \(env) }\nspec: {}\n",
            ])
        let revision = try await repo.head()
        var git = ControllerConfiguration.Git(url: repo.fileURL)
        git.pollInterval = .milliseconds(500)
        var configuration = ControllerConfiguration(git: git)
        configuration.environments = [env]
        configuration.stateDirectory = directory.appending("state")
        configuration.listen = "127.0.0.1:0"
        let (logger, _) = RecordingLogHandler.logger()
        let controller = try await Controller(configuration: configuration, logger: logger)
        // The alert series are part of the output too.
        var alerts = AlertsConfiguration()
        alerts.sinks = [.init(name: "ops", destination: .alertmanager(url: "http://127.0.0.1:9", ttl: .seconds(3600)))]
        _ = try AlertDispatcher(configuration: alerts, metrics: controller.metrics, clock: ContinuousClock(), logger: logger)
        let running = try await RunningController.start(controller)
        do {
            try await body(running, env, revision)
        } catch {
            await running.stop()
            throw error
        }
        await running.stop()
    }

    @Test("promtool check metrics is clean on the full output; Prometheus scrapes the applied revision")
    func promtoolAndPrometheus() async throws {
        try await Self.withController { controller, env, revision in
            try await eventually("the revision applied") {
                try await controller.metrics().contains("shipshape_last_applied_info{env=\"\(env)\",revision=\"\(revision)\"} 1")
            }
            let exposition = try await controller.metrics()
            let complaints = try await MonitoringTools.checkMetrics(exposition)
            #expect(complaints.isEmpty, "promtool check metrics:\n\(complaints)")
            for family in [
                "shipshape_reconcile_total", "shipshape_reconcile_duration_seconds", "shipshape_resources",
                "shipshape_drift_detected_total", "shipshape_apply_operations_total", "shipshape_last_applied_info",
                "shipshape_last_successful_reconcile_timestamp_seconds", "shipshape_git_fetch_total",
                "shipshape_git_fetch_duration_seconds", "shipshape_alerts_sent_total", "shipshape_manifest_valid",
                "shipshape_suspended",
            ] {
                #expect(exposition.contains("# HELP \(family) "), "no help text for \(family)")
            }
            #expect(exposition.contains("shipshape_alerts_sent_total{sink=\"ops\",result=\"dropped\"} 0"))

            let prometheus = try await PrometheusServer.start(scraping: ["127.0.0.1:\(controller.port)"])
            defer { Task { await prometheus.stop() } }
            var samples: [PrometheusServer.Sample] = []
            do {
                try await eventually("Prometheus has scraped the controller", timeout: .seconds(120)) {
                    samples = try await prometheus.query("shipshape_last_applied_info{env=\"\(env)\"}")
                    return !samples.isEmpty
                }
            } catch {
                Issue.record("targets: \(try await prometheus.targets())\nlog: \(prometheus.recentOutput())")
                throw error
            }
            #expect(samples.count == 1)
            #expect(samples.first?.labels["revision"] == revision)
            #expect(samples.first?.labels["job"] == "shipshape")
            #expect(samples.first?.value == "1")
            // A scrape succeeded (the latest one may have hit the 1 s scrape timeout on a loaded host).
            let up = try await prometheus.query("max_over_time(up{job=\"shipshape\"}[10m])")
            #expect(up.first?.value == "1")
        }
    }
}
