import Foundation
import ShipshapeDocker
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Synchronization
import Testing

/// Canary analysis: the PromQL query is evaluated on a real Prometheus that scrapes an error counter
/// the test controls, while a real canary container runs on the real daemon.
@Suite("Docker provider: canary analysis with Prometheus")
struct CanaryAnalysisTests {
    /// `http_errors_total{environment, service}` as Prometheus scrapes it: each scrape adds `step`.
    final class ErrorCounter: Sendable {
        private let state = Mutex<(environment: String, total: Int, step: Int)>(("", 0, 0))

        func configure(environment: String) { state.withLock { $0.environment = environment } }
        func set(step: Int) { state.withLock { $0.step = step } }

        /// The next exposition, counting the scrape.
        func scrape() -> String {
            state.withLock { state in
                state.total += state.step
                return """
                    # HELP http_errors_total Requests answered with a 5xx.
                    # TYPE http_errors_total counter
                    http_errors_total{environment="\(state.environment)",service="api"} \(state.total)

                    """
            }
        }
    }

    /// Polls `condition` every 500 ms until it holds, for at most `timeout` (generous: the host is loaded).
    static func waitUntil(
        _ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw HarnessError("not within \(timeout): \(what)")
    }

    @Test("error rate low: the canary passes and the rollout completes; high: the canary rolls back to the old image")
    func rollbackOnHighErrorRate() async throws {
        let counter = ErrorCounter()
        let endpoint = try await RecordingHTTPServer.start { _ in .init(body: counter.scrape()) }
        let prometheus = try await PrometheusServer.start(scraping: ["127.0.0.1:\(endpoint.port)"], job: "api")
        let repository = try await RolloutImages.httpServer("analysis", versions: ["1.0.0", "2.0.0", "3.0.0"])
        do {
            let metrics = PrometheusMetricQuery(url: prometheus.baseURL, timeout: .seconds(10))
            try await ProviderHarness.with(
                options: DockerRuntimeOptions(metrics: metrics),
                images: ["1.0.0", "2.0.0", "3.0.0"].map { "\(repository):\($0)" }
            ) { harness in
                counter.configure(environment: harness.env)
                let analysis = CanaryAnalysis(
                    query: #"sum(rate(http_errors_total{environment="{{environment}}",service="{{service}}"}[10s]))"#,
                    max: 0.5, interval: .seconds(1))
                let strategy = DeploymentStrategy(kind: .canary, observe: .seconds(5), analysis: analysis)
                let base = try RolloutTests.portBase(replicas: 2)
                let v1 = RolloutImages.service(
                    repository: repository, tag: "1.0.0", replicas: 2, hostPort: base, strategy: strategy)
                try await harness.deployOrThrow([v1])

                // Low: no errors. The query only finds the series with both placeholders replaced.
                let expanded = analysis.expandedQuery([.environment: harness.env, .service: "api"])
                try await Self.waitUntil("Prometheus has a rate of 0 for \(expanded)") {
                    try await metrics.value(of: expanded) == 0
                }
                var v2 = v1
                v2.image.tag = "2.0.0"
                try await harness.deployOrThrow([v2], revision: "r2")
                let afterV2 = try await harness.containers()
                #expect(afterV2.count == 2 && afterV2.allSatisfy { $0.isRunning && $0.image == "\(repository):2.0.0" })

                // High: about 20 errors a second.
                counter.set(step: 20)
                try await Self.waitUntil("the error rate is above 0.5") {
                    (try await metrics.value(of: expanded) ?? 0) > 0.5
                }
                var v3 = v2
                v3.image.tag = "3.0.0"
                let (_, report) = try await harness.deploy([v3], revision: "r3")
                let failure = try #require(report.failure)
                let message = "\(failure.error)"
                #expect(message.contains("failed its analysis"), "\(message)")
                #expect(message.contains("above max 0.5"), "\(message)")
                #expect(message.contains(#"service="api""#), "the error names the expanded query: \(message)")
                #expect(ErrorDisposition.of(failure.error) == .stalled)
                #expect(
                    ErrorDisposition.rolledBack(failure.error),
                    "the controller raises its rolled-back alert for this error")
                // The old containers run again; the canary is gone.
                let afterV3 = try await harness.containers()
                #expect(Set(afterV3.map(\.id)) == Set(afterV2.map(\.id)))
                #expect(
                    afterV3.allSatisfy { $0.isRunning && $0.image == "\(repository):2.0.0" }, "\(afterV3.map(\.image))")
            }
        } catch {
            Issue.record("prometheus targets: \((try? await prometheus.targets()) ?? "?")")
            await prometheus.stop()
            await endpoint.stop()
            throw error
        }
        await prometheus.stop()
        await endpoint.stop()
    }

    @Test("no data fails the canary; without Prometheus configured the rollout fails before anything is stopped")
    func noDataAndNoPrometheus() async throws {
        let prometheus = try await PrometheusServer.start(scraping: ["127.0.0.1:\(try LoopbackPort.free())"])
        let repository = try await RolloutImages.httpServer("nodata", versions: ["1.0.0", "2.0.0"])
        do {
            let metrics = PrometheusMetricQuery(url: prometheus.baseURL, timeout: .seconds(10))
            try await ProviderHarness.with(
                options: DockerRuntimeOptions(metrics: metrics), images: ["\(repository):1.0.0", "\(repository):2.0.0"]
            ) { harness in
                let analysis = CanaryAnalysis(
                    query: #"sum(rate(http_errors_total{service="{{service}}"}[1m]))"#, max: 1, interval: .seconds(1))
                let strategy = DeploymentStrategy(kind: .canary, observe: .seconds(30), analysis: analysis)
                let v1 = RolloutImages.service(
                    repository: repository, tag: "1.0.0", hostPort: try RolloutTests.portBase(replicas: 1),
                    strategy: strategy)
                try await harness.deployOrThrow([v1])
                let before = try await harness.containers()
                var v2 = v1
                v2.image.tag = "2.0.0"

                // Nothing exports the counter: the first evaluation finds no data and rolls back.
                let (_, report) = try await harness.deploy([v2], revision: "r2")
                let message = "\(try #require(report.failure).error)"
                #expect(message.contains("returned no data"), "\(message)")
                #expect(message.contains("rolled back to \(repository):1.0.0"), "\(message)")
                let after = try await harness.containers()
                #expect(Set(after.map(\.id)) == Set(before.map(\.id)))
                #expect(after.allSatisfy { $0.isRunning && $0.image == "\(repository):1.0.0" })

                // No Prometheus: refused before the old container is touched.
                let (_, unconfigured) = try await harness.with(DockerRuntimeOptions()).deploy([v2], revision: "r3")
                let refusal = "\(try #require(unconfigured.failure).error)"
                #expect(refusal.contains("no Prometheus configured"), "\(refusal)")
                #expect(refusal.contains("nothing was changed"), "\(refusal)")
                let untouched = try await harness.containers()
                #expect(untouched.map(\.id) == before.map(\.id))
                #expect(untouched.allSatisfy { $0.isRunning })
            }
        } catch {
            await prometheus.stop()
            throw error
        }
        await prometheus.stop()
    }

    @Test("a real Prometheus's answers: one sample, a scalar, no data, and clear errors for the rest")
    func prometheusAnswers() async throws {
        let prometheus = try await PrometheusServer.start(scraping: ["127.0.0.1:\(try LoopbackPort.free())"])
        let metrics = PrometheusMetricQuery(url: prometheus.baseURL + "/", timeout: .seconds(10))
        func failure(_ query: String) async -> String {
            do {
                return "no error, value \(String(describing: try await metrics.value(of: query)))"
            } catch {
                return "\(error)"
            }
        }
        do {
            // `+`, quotes, braces and spaces survive the URL.
            #expect(try await metrics.value(of: "vector(0.2) + vector(0.05)") == 0.25)
            #expect(try await metrics.value(of: #"sum(label_replace(vector(2), "a", "b c", "", ""))"#) == 2)
            #expect(try await metrics.value(of: "scalar(vector(3))") == 3)
            #expect(try await metrics.value(of: "vector(1) / 0") == Double.infinity)
            #expect(try await metrics.value(of: "no_such_metric_anywhere") == nil)

            let several = await failure(#"vector(1) or label_replace(vector(2), "a", "b", "", "")"#)
            #expect(several.contains("returned 2 series"), "\(several)")
            #expect(several.contains(#"{a="b"}"#), "\(several)")
            #expect(several.contains("analysis query `vector(1) or label_replace"), "\(several)")
            let nan = await failure("vector(0) / 0")
            #expect(nan.contains("analysis query `vector(0) / 0` returned NaN"), "\(nan)")
            let range = await failure("up[1m]")
            #expect(range.contains("returned a range vector"), "\(range)")
            let string = await failure(#""text""#)
            #expect(string.contains("returned a string, not a number"), "\(string)")
            let syntax = await failure("sum(rate(")
            #expect(
                syntax.contains("analysis query `sum(rate(` was refused by Prometheus (HTTP 400, bad_data)"),
                "\(syntax)")
        } catch {
            await prometheus.stop()
            throw error
        }
        await prometheus.stop()

        let unreachable = PrometheusMetricQuery(
            url: "http://127.0.0.1:\(try LoopbackPort.free())", timeout: .seconds(5))
        do {
            _ = try await unreachable.value(of: "up")
            Issue.record("a closed port answered")
        } catch {
            #expect(
                "\(error)".contains("analysis query `up` could not be asked of Prometheus at 127.0.0.1:"), "\(error)")
        }
    }

    @Test("odd bodies are clear errors naming the query")
    func oddBodies() throws {
        func answer(_ status: Int, _ body: String) -> String {
            do {
                let value = try PrometheusMetricQuery.value(status: status, body: Array(body.utf8), query: "q")
                return "value \(String(describing: value))"
            } catch {
                return "\(error)"
            }
        }
        func vector(_ values: [String]) -> String {
            let series = values.enumerated().map {
                #"{"metric":{"pod":"p\#($0.offset)"},"value":[1700000000.1,"\#($0.element)"]}"#
            }
            return #"{"status":"success","data":{"resultType":"vector","result":[\#(series.joined(separator: ","))]}}"#
        }
        #expect(answer(200, vector(["0.125"])) == "value Optional(0.125)")
        #expect(answer(200, vector(["-Inf"])) == "value Optional(-inf)")
        #expect(answer(200, vector([])) == "value nil")
        #expect(
            answer(200, #"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"7"]}}"#)
                == "value Optional(7.0)")

        #expect(
            answer(502, "<html><body>502 Bad Gateway</body></html>")
                == "analysis query `q` got HTTP 502 with a body that is not a Prometheus API answer: '<html><body>502 Bad Gateway</body></html>'"
        )
        #expect(
            answer(200, "")
                == "analysis query `q` got HTTP 200 with a body that is not a Prometheus API answer: (empty)")
        #expect(answer(200, "[1, 2]").contains("not a Prometheus API answer"))
        #expect(
            answer(200, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"#)
                .contains("not a Prometheus API answer"))
        #expect(answer(200, String(repeating: "x", count: 1000)).hasSuffix("xxx…'"))
        #expect(
            answer(503, #"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#)
                == "analysis query `q` was refused by Prometheus (HTTP 503, timeout): query timed out in expression evaluation"
        )
        #expect(
            answer(500, #"{"status":"success","data":{"resultType":"vector","result":[]}}"#).contains(
                "was refused by Prometheus (HTTP 500"))
        #expect(answer(200, #"{"status":"success"}"#) == "analysis query `q` got an answer without data.resultType")
        #expect(answer(200, vector(["NaN"])).contains("returned NaN"))
        #expect(answer(200, vector(["0x10"])) == "analysis query `q` returned '0x10', which is not a number")
        #expect(answer(200, vector(["twelve"])) == "analysis query `q` returned 'twelve', which is not a number")
        #expect(
            answer(200, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}"#)
                == "analysis query `q` got a sample that is not [time, \"value\"]")
        let five = answer(200, vector(["1", "2", "3", "4", "5"]))
        #expect(
            five.hasPrefix(#"analysis query `q` returned 5 series ({pod="p0"}, {pod="p1"}, {pod="p2"}, …)"#), "\(five)")
        #expect(five.hasSuffix("it must return one number: aggregate it, e.g. sum(…) or max(…)"))
    }
}
