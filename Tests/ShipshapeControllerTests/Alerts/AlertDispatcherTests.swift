import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import ShipshapeController
import ShipshapeTesting
import Testing

/// The dispatcher against a real HTTP receiver (the recording server) with a test clock: dedup,
/// resolved notices, retries with backoff, dropping, routing, and that `send` never waits.
@Suite("Alert dispatcher")
struct AlertDispatcherTests {
    static let revisionA = String(repeating: "a", count: 40)
    static let revisionB = String(repeating: "b", count: 40)

    struct Setup {
        let dispatcher: AlertDispatcher<TestClock>
        let clock: TestClock
        let metrics: ShipshapeMetrics
        let logs: RecordingLogHandler.Store
        let task: Task<Void, any Error>

        /// Stops taking events, waits until everything queued is handled.
        func drain() async throws {
            dispatcher.finish()
            try await task.value
        }

        func count(_ sink: String, _ result: ShipshapeMetrics.AlertResult) -> Int {
            let text = String(decoding: metrics.render(), as: UTF8.self)
            let prefix = "shipshape_alerts_sent_total{sink=\"\(sink)\",result=\"\(result.rawValue)\"} "
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return -1 }
            return Int(line.dropFirst(prefix.count)) ?? -1
        }
    }

    static func setUp(
        sinks: [(String, String)],
        routes: [String: [String]] = [:],
        retry: AlertsConfiguration.Retry = { var retry = AlertsConfiguration.Retry(); retry.jitter = 0; return retry }(),
        queueCapacity: Int = 16,
        run: Bool = true
    ) -> Setup {
        let clock = TestClock()
        let metrics = ShipshapeMetrics(environments: [])
        let (logger, logs) = RecordingLogHandler.logger()
        var routing = AlertsConfiguration()
        routing.routes = routes
        routing.sinks = sinks.map { .init(name: $0.0, destination: .webhook(url: $0.1, secretFile: nil)) }
        let configuration = routing
        let targets = sinks.map { AlertDispatcher<TestClock>.Target(WebhookSink(name: $0.0, url: $0.1, secret: nil, http: AlertHTTPClient())) }
        let dispatcher = AlertDispatcher(
            targets: targets, routing: { configuration.sinkNames(for: $0) }, dedupWindow: .seconds(600),
            queueCapacity: queueCapacity, retry: retry, metrics: metrics, clock: clock, logger: logger)
        let task = Task { if run { try await dispatcher.run() } }
        return Setup(dispatcher: dispatcher, clock: clock, metrics: metrics, logs: logs, task: task)
    }

    static func failed(_ revision: String = revisionA, seconds: Double = 3.2) -> AlertEvent {
        AlertEvent(
            .reconcileFailed, environment: "prod", revision: revision, resource: "service/api",
            summary: "update service/api failed after \(seconds) s")
    }

    @Test("repeats inside the window are suppressed and counted; after it they are sent again")
    func deduplicates() async throws {
        let server = try await RecordingHTTPServer.start()
        defer { Task { await server.stop() } }
        let setup = Self.setUp(sinks: [("hook", server.baseURL)])
        setup.dispatcher.send(Self.failed(seconds: 3.2))
        setup.dispatcher.send(Self.failed(seconds: 3.4))  // only the duration differs: a repeat
        setup.clock.advance(by: .seconds(599))
        setup.dispatcher.send(Self.failed(seconds: 9.9))
        setup.clock.advance(by: .seconds(2))
        setup.dispatcher.send(Self.failed(seconds: 1.0))  // window passed: sent again
        setup.dispatcher.send(Self.failed(Self.revisionB))  // another revision: a new event
        try await setup.drain()
        let bodies = try server.requests.map { try #require($0.json() as? [String: Any]) }
        #expect(bodies.count == 3)
        #expect(bodies.map { $0["summary"] as? String } == [
            "update service/api failed after 3.2 s", "update service/api failed after 1.0 s",
            "update service/api failed after 3.2 s",
        ])
        #expect(bodies.last?["revision"] as? String == Self.revisionB)
        #expect(setup.count("hook", .suppressed) == 2)
        #expect(setup.count("hook", .success) == 3)
    }

    @Test("a resolved notice follows a fixed problem, once; none for a problem never reported")
    func resolvedNotices() async throws {
        let server = try await RecordingHTTPServer.start()
        defer { Task { await server.stop() } }
        let setup = Self.setUp(sinks: [("hook", server.baseURL)])
        setup.dispatcher.send(.resolved(.manifestInvalid, environment: "prod", revision: Self.revisionA))
        setup.dispatcher.send(Self.failed())
        #expect(setup.dispatcher.openProblems.count == 1)
        setup.dispatcher.send(.resolved(.reconcileFailed, environment: "prod", revision: Self.revisionB, resource: "service/api"))
        setup.dispatcher.send(.resolved(.reconcileFailed, environment: "prod", revision: Self.revisionB, resource: "service/api"))
        #expect(setup.dispatcher.openProblems.isEmpty)
        // The same problem again right after: sent at once, the window restarted with the resolve.
        setup.dispatcher.send(Self.failed())
        try await setup.drain()
        let bodies = try server.requests.map { try #require($0.json() as? [String: Any]) }
        #expect(bodies.map { $0["status"] as? String } == ["firing", "resolved", "firing"])
        #expect(bodies[1]["kind"] as? String == "reconcileFailed")
        #expect(bodies[1]["severity"] as? String == "critical", "a resolved notice carries its problem's severity")
        #expect(bodies[1]["resource"] as? String == "service/api")
    }

    @Test("a resolved notice without a resource closes every open problem of its kind in the environment")
    func resolvesAllResources() async throws {
        let server = try await RecordingHTTPServer.start()
        defer { Task { await server.stop() } }
        let setup = Self.setUp(sinks: [("hook", server.baseURL)])
        for resource in ["service/api", "service/worker"] {
            setup.dispatcher.send(AlertEvent(.driftDetected, environment: "prod", revision: Self.revisionA, resource: resource, summary: "drift"))
        }
        setup.dispatcher.send(AlertEvent(.driftDetected, environment: "staging", revision: Self.revisionA, resource: "service/api", summary: "drift"))
        setup.dispatcher.send(.resolved(.driftDetected, environment: "prod", revision: Self.revisionA))
        #expect(setup.dispatcher.openProblems.map(\.environment) == ["staging"])
        try await setup.drain()
        let resolved = try server.requests.compactMap { try $0.json() as? [String: Any] }.filter { $0["status"] as? String == "resolved" }
        #expect(resolved.compactMap { $0["resource"] as? String }.sorted() == ["service/api", "service/worker"])
        #expect(resolved.allSatisfy { $0["environment"] as? String == "prod" && $0["severity"] as? String == "warning" })
    }

    @Test("the dedup key leaves out summary, details and time; the problem key leaves out the revision")
    func keys() {
        let first = AlertEvent(
            .reconcileFailed, environment: "prod", revision: Self.revisionA, resource: "service/api",
            summary: "failed after 3.2 s", details: ["took 3.2 s"], occurredAt: Date(timeIntervalSince1970: 1))
        let repeated = AlertEvent(
            .reconcileFailed, environment: "prod", revision: Self.revisionA, resource: "service/api",
            summary: "failed after 9.9 s", details: ["took 9.9 s"], occurredAt: Date(timeIntervalSince1970: 99))
        let next = AlertEvent(.reconcileFailed, environment: "prod", revision: Self.revisionB, resource: "service/api", summary: "x")
        #expect(first.deduplicationKey == repeated.deduplicationKey)
        #expect(first.deduplicationKey != next.deduplicationKey)
        #expect(first.problemKey == next.problemKey)
        #expect(!first.deduplicationKey.contains("3.2"))
        #expect(AlertEvent.resolved(.reconcileFailed, environment: "prod", revision: Self.revisionA).deduplicationKey != first.deduplicationKey)
    }

    @Test("a failing sink is retried with exponential backoff, then the alert is dropped and counted")
    func retriesThenDrops() async throws {
        let server = try await RecordingHTTPServer.start { _ in .init(status: 503, body: "down for maintenance") }
        defer { Task { await server.stop() } }
        var retry = AlertsConfiguration.Retry()
        retry.attempts = 4
        retry.initialBackoff = .seconds(2)
        retry.maxBackoff = .seconds(5)
        retry.jitter = 0
        let setup = Self.setUp(sinks: [("hook", server.baseURL)], retry: retry)
        setup.dispatcher.send(Self.failed())
        try await setup.drain()
        #expect(server.requests.count == 4)
        #expect(setup.clock.sleeps == [.seconds(2), .seconds(4), .seconds(5)])
        #expect(setup.count("hook", .failure) == 4)
        #expect(setup.count("hook", .dropped) == 1)
        #expect(setup.count("hook", .success) == 0)
        #expect(setup.logs.text.contains("HTTP 503"))
        #expect(setup.logs.text.contains("Alert dropped after failed delivery"))
    }

    @Test("a sink that recovers gets the alert on a retry")
    func retrySucceeds() async throws {
        let calls = CallCounter()
        let server = try await RecordingHTTPServer.start { _ in
            calls.next() < 2 ? .init(status: 500, body: "boom") : .init()
        }
        defer { Task { await server.stop() } }
        let setup = Self.setUp(sinks: [("hook", server.baseURL)])
        setup.dispatcher.send(Self.failed())
        try await setup.drain()
        #expect(server.requests.count == 3)
        #expect(setup.count("hook", .failure) == 2)
        #expect(setup.count("hook", .success) == 1)
        #expect(setup.count("hook", .dropped) == 0)
    }

    @Test("a sink that hangs does not block send or other sinks; its overflow is dropped and counted")
    func slowSinkNeverBlocks() async throws {
        let gate = Gate()
        let slow = try await RecordingHTTPServer.start { _ in
            await gate.wait()
            return .init()
        }
        let fast = try await RecordingHTTPServer.start()
        defer { Task { await slow.stop(); await fast.stop() } }
        let setup = Self.setUp(sinks: [("slow", slow.baseURL), ("fast", fast.baseURL)], queueCapacity: 8)
        let start = ContinuousClock.now
        for index in 0..<20 {
            setup.dispatcher.send(Self.failed(String(repeating: "\(index % 10)", count: 39) + "\(index / 10)"))
        }
        let elapsed = ContinuousClock.now - start
        // Not a performance bound: a send that waited for the hanging sink would never return.
        #expect(elapsed < .seconds(5), "20 sends took \(elapsed)")
        // The fast sink gets its alerts while the slow one hangs.
        let fastDropped = setup.count("fast", .dropped)
        try await fast.waitForRequests(20 - fastDropped, timeout: .seconds(60))
        // The slow sink holds at most one request in flight and eight queued; the rest were dropped.
        try await slow.waitForRequests(1, timeout: .seconds(60))
        let dropped = setup.count("slow", .dropped)
        #expect((11...12).contains(dropped), "dropped: \(dropped)")
        await gate.open()
        try await setup.drain()
        // Distinct alerts: under load an attempt held at the gate may time out and be sent again.
        #expect(Set(slow.requests.map(\.body)).count == 20 - dropped)
        #expect(setup.count("slow", .success) == 20 - dropped)
        #expect(setup.count("fast", .success) == 20 - fastDropped)
    }

    @Test("without sinks the dispatcher runs until finished (a service that returned would stop the group)")
    func noSinks() async throws {
        let dispatcher = AlertDispatcher(
            targets: [], routing: { _ in [] }, dedupWindow: .seconds(60), queueCapacity: 1, retry: .init(), metrics: nil,
            clock: TestClock(), logger: RecordingLogHandler.logger().0)
        let returned = Mutex(false)
        let task = Task {
            try await dispatcher.run()
            returned.withLock { $0 = true }
        }
        dispatcher.send(AlertEvent(.revisionApplied, environment: "prod", revision: "r", summary: "applied"))
        try await Task.sleep(for: .milliseconds(100))
        #expect(!returned.withLock { $0 }, "run() returned before finish()")
        dispatcher.finish()
        try await task.value
        #expect(returned.withLock { $0 })
    }

    @Test("on graceful shutdown a sink that fails gets no retries and its queue is dropped at once")
    func shutdownDropsForDeadSink() async throws {
        let gate = Gate()
        let server = try await RecordingHTTPServer.start { _ in
            await gate.wait()
            return .init(status: 503, body: "down")
        }
        defer { Task { await server.stop() } }
        let setup = Self.setUp(sinks: [("hook", server.baseURL)], run: false)
        for index in 0..<5 { setup.dispatcher.send(Self.failed(String(repeating: "\(index)", count: 40))) }
        // The dispatcher under a service group, so shutdown is the real graceful one.
        let group = ServiceGroup(services: [setup.dispatcher], logger: RecordingLogHandler.logger().0)
        let run = Task { try await group.run() }
        try await server.waitForRequests(1)
        await group.triggerGracefulShutdown()
        let deadline = ContinuousClock.now + .seconds(60)
        while !setup.dispatcher.isStopping && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(setup.dispatcher.isStopping)
        await gate.open()
        try await run.value
        #expect(server.requests.count == 1, "requests: \(server.requests.count)")
        #expect(setup.count("hook", .dropped) == 5)
        #expect(setup.clock.sleeps.isEmpty, "no backoff while stopping")
        #expect(setup.logs.text.contains("the sink failed while stopping"))
    }

    @Test("events go to the sinks of their environment's route; `*` covers the rest")
    func routesByEnvironment() async throws {
        let prod = try await RecordingHTTPServer.start()
        let other = try await RecordingHTTPServer.start()
        defer { Task { await prod.stop(); await other.stop() } }
        let setup = Self.setUp(
            sinks: [("prod-hook", prod.baseURL), ("other-hook", other.baseURL)],
            routes: ["prod": ["prod-hook"], "*": ["other-hook"]])
        setup.dispatcher.send(AlertEvent(.revisionApplied, environment: "prod", revision: Self.revisionA, summary: "applied"))
        setup.dispatcher.send(AlertEvent(.revisionApplied, environment: "staging", revision: Self.revisionA, summary: "applied"))
        try await setup.drain()
        #expect(prod.requests.map { try? ($0.json() as? [String: Any])?["environment"] as? String } == ["prod"])
        #expect(other.requests.map { try? ($0.json() as? [String: Any])?["environment"] as? String } == ["staging"])
    }
}
