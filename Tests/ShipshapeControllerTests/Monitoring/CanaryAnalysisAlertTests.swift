import Foundation
import ShipshapeController
import ShipshapeDocker
import ShipshapeTesting
import Synchronization
import Testing

/// A canary analysis through the whole controller: `docker.prometheus` from the configuration YAML,
/// a real Prometheus scraping an error counter, a tag bump in Git, the rollback alert on a webhook
/// and the revision marked failed in the state.
@Suite("Canary analysis in the controller", .serialized)
struct CanaryAnalysisAlertTests {
    /// Counts the scrapes of the error counter.
    final class Scrapes: Sendable {
        private let count = Mutex(0)

        func next() -> Int {
            count.withLock { count in
                count += 1
                return count
            }
        }
    }

    @Test("a canary whose error rate is over max rolls back, alerts rolledBack and marks the revision failed")
    func highErrorRateRollsBack() async throws {
        // Every scrape adds 20 errors: about 20 a second.
        let scrapes = Scrapes()
        let endpoint = try await RecordingHTTPServer.start { _ in
            .init(body: "# TYPE http_errors_total counter\nhttp_errors_total{service=\"api\"} \(scrapes.next() * 20)\n")
        }
        let prometheus = try await PrometheusServer.start(scraping: ["127.0.0.1:\(endpoint.port)"], job: "api")
        let receiver = try await RecordingHTTPServer.start()
        do {
            try await DeploymentHarness.with { harness in
                let hostPort = try LoopbackPort.free()
                func manifest(_ tag: String) -> String {
                    """
                    apiVersion: shipshape.io/v1
                    kind: Environment
                    metadata: { name: \(harness.env) }
                    spec:
                      services:
                        api:
                          runtime: docker
                          image: \(harness.image)
                          tag: "\(tag)"
                          ports: ["127.0.0.1:\(hostPort):8080"]
                          health: { http: /actuator/health, port: 8080, timeout: 20s, interval: 1s }
                          strategy:
                            type: canary
                            observe: 10s
                            analysis:
                              query: 'sum(rate(http_errors_total{service="{{service}}"}[10s]))'
                              max: 0.5
                              interval: 1s

                    """
                }
                try await harness.repo.commit("v1", files: ["manifests/\(harness.env).yaml": manifest("1.0.0")])
                let yaml = """
                    git: { url: "\(harness.repo.fileURL)", pollInterval: 500ms }
                    environments: [\(harness.env)]
                    stateDirectory: \(harness.directory.appending("state"))
                    listen: 127.0.0.1:0
                    docker:
                      prometheus: { url: "\(prometheus.baseURL)", timeout: 10s }
                    alerts:
                      sinks:
                        ops: { type: webhook, url: "\(receiver.baseURL)/hook" }
                    """
                let configuration = try ControllerConfiguration.parse(yaml, file: "config.yaml")
                try await harness.withController(configuration) { controller in
                    try await eventually("1.0.0 served") { try await served(hostPort) == "1.0.0" }
                    let before = try await harness.containers()
                    try await eventually("Prometheus sees an error rate above 0.5", timeout: .seconds(60)) {
                        let samples = try await prometheus.query(#"sum(rate(http_errors_total{service="api"}[10s]))"#)
                        return (samples.first.flatMap { Double($0.value) } ?? 0) > 0.5
                    }

                    try await harness.repo.commit("v2", files: ["manifests/\(harness.env).yaml": manifest("1.0.1")])
                    let v2 = try await harness.repo.head()
                    var alert: [String: Any] = [:]
                    try await eventually("a rolledBack alert for \(v2)", timeout: .seconds(120)) {
                        for request in receiver.requests {
                            if let body = try? request.json() as? [String: Any], body["kind"] as? String == "rolledBack"
                            {
                                alert = body
                                return true
                            }
                        }
                        return false
                    }
                    #expect(alert["revision"] as? String == v2)
                    #expect(alert["environment"] as? String == harness.env)
                    let text = "\(alert)"
                    #expect(text.contains("failed its analysis") && text.contains("above max 0.5"), "\(text)")

                    // The revision is marked failed and not retried; the old container serves.
                    let statePath = harness.directory.appending("state") + "/environments/\(harness.env).json"
                    try await eventually("the state marks \(v2) failed") {
                        let data = FileManager.default.contents(atPath: statePath) ?? Data()
                        let state = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
                        return state?["failedRevision"] as? String == v2
                    }
                    #expect(try await served(hostPort) == "1.0.0")
                    let after = try await harness.containers()
                    #expect(after.map(\.id) == before.map(\.id))
                    #expect(after.allSatisfy { $0.isRunning && $0.image.hasSuffix(":1.0.0") }, "\(after.map(\.image))")
                }
            }
        } catch {
            Issue.record("prometheus targets: \((try? await prometheus.targets()) ?? "?")")
            await prometheus.stop()
            await endpoint.stop()
            await receiver.stop()
            throw error
        }
        await prometheus.stop()
        await endpoint.stop()
        await receiver.stop()
    }
}
