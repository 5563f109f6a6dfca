import Foundation
import Logging
import ShipshapeDocker
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

/// A traffic switch that remembers where traffic goes and can be made to hang in its next switch,
/// as a controller killed at that moment would leave it: the switch never happened. It stands in for
/// nginx only as the place the test stops the rollout; what it records is what nginx would serve.
actor StallingSwitch: TrafficSwitch {
    private(set) var current: [TrafficEndpoint] = []
    private var stallNext = false
    private var stalled: CheckedContinuation<Void, any Error>?

    func stallNextSwitch() { stallNext = true }

    nonisolated var switchBudget: Duration { .seconds(5) }

    var isStalled: Bool { stalled != nil }

    /// Lets the hanging switch end with an error.
    func release() {
        stalled?.resume(throwing: HarnessError("released by the test"))
        stalled = nil
    }

    func currentEndpoints(_ route: TrafficRoute) async throws -> [TrafficEndpoint]? { current.isEmpty ? nil : current }

    func route(_ route: TrafficRoute, to endpoints: [TrafficEndpoint], logger: Logger) async throws {
        if stallNext {
            stallNext = false
            try await withCheckedThrowingContinuation { stalled = $0 }
            return
        }
        current = endpoints.sorted()
    }
}

/// What a rollout cut short leaves behind, and how the next apply finishes it.
@Suite("Docker provider: interrupted rollouts")
struct InterruptedRolloutTests {
    /// A blue/green service at 1.0.0 (blue, in traffic), then a rollout of 2.0.0 stopped where a kill
    /// would stop it: green started and healthy, the switch not made. Runs `body` with the harness, the
    /// switch, v2 and the port base, then lets the stopped rollout end.
    func cutBeforeSwitch(
        _ prefix: String,
        _ body: (ProviderHarness, StallingSwitch, Service, Int) async throws -> Void
    ) async throws {
        let repository = try await RolloutImages.httpServer(prefix, versions: ["1.0.0", "2.0.0"])
        try await ProviderHarness.with(images: ["\(repository):1.0.0", "\(repository):2.0.0"]) { harness in
            let traffic = StallingSwitch()
            let bg = harness.with(DockerRuntimeOptions(localTrafficSwitch: traffic))
            let base = try RolloutTests.portBase(replicas: 2)
            let v1 = RolloutImages.service(
                repository: repository, tag: "1.0.0", replicas: 2, hostPort: base,
                strategy: DeploymentStrategy(kind: .blueGreen, keepBlueFor: .seconds(600)))
            var v2 = v1
            v2.image.tag = "2.0.0"
            try await bg.deployOrThrow([v1])
            #expect(await traffic.current.map(\.port) == [base, base + 1])

            await traffic.stallNextSwitch()
            let cut = Task { [v2] in try await bg.deploy([v2], revision: "r2") }
            let deadline = ContinuousClock.now + .seconds(120)
            while await !traffic.isStalled && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            try #require(await traffic.isStalled, "the green set never became healthy")
            #expect(try await bg.containers().filter(\.isRunning).count == 4)
            do {
                try await body(bg, traffic, v2, base)
            } catch {
                await traffic.release()
                _ = await cut.result
                throw error
            }
            await traffic.release()
            _ = await cut.result
        }
    }

    @Test(
        "blue/green cut between a healthy green set and the switch looks converged; applied again as interrupted, traffic moves to green"
    )
    func blueGreenCutBeforeSwitch() async throws {
        try await cutBeforeSwitch("cut") { bg, traffic, v2, base in
            // Observed, green is the newest running set and blue is within its keep time: nothing to
            // do, although traffic still goes to blue. Only the journal knows the change did not finish.
            #expect(try await bg.plan([v2], revision: "r2").changes.isEmpty)

            let reconciler = Reconciler(providers: [bg.provider])
            let resumed = try await reconciler.plan(
                bg.environment([v2]),
                inputs: .init(environment: bg.env, revision: "r2", interrupted: [ResourceID(.service, "api")]))
            #expect(resumed.changes.map(\.reason) == [.interrupted])
            let report = await reconciler.apply(resumed, logger: bg.logger)
            #expect(report.succeeded, "\(String(describing: report.failure?.error))")
            #expect(await traffic.current.map(\.port) == [base + 100, base + 101])
            let containers = try await bg.containers()
            #expect(
                containers.count == 4 && containers.allSatisfy { $0.isRunning },
                "green in traffic, blue kept for its keep time")
            #expect(try await bg.plan([v2], revision: "r3").changes.isEmpty)
        }
    }

    @Test(
        "blue/green cut while green was starting: the half-started green is not taken for blue; blue keeps serving until the switch"
    )
    func blueGreenCutWhileStarting() async throws {
        try await cutBeforeSwitch("half") { bg, traffic, v2, base in
            // As if the kill came after the first green replica started: one green container only.
            let containers = try await bg.containers()
            let green = containers.filter { $0.labels["shipshape.io/slot"] == "1" }.sorted { $0.name < $1.name }
            let blue = containers.filter { $0.labels["shipshape.io/slot"] == "0" }
            #expect(green.count == 2 && blue.count == 2)
            try await bg.client.removeContainer(try #require(green.last).id, force: true)

            // The newest running set is the half green; the switch says blue serves, so green is
            // rebuilt in its own slot and blue is never touched.
            let (plan, report) = try await bg.deploy([v2], revision: "r2")
            #expect(plan.changes.count == 1)
            #expect(report.succeeded, "\(String(describing: report.failure?.error))")
            #expect(await traffic.current.map(\.port) == [base + 100, base + 101])
            let after = try await bg.containers()
            #expect(Set(after.filter { $0.labels["shipshape.io/slot"] == "0" }.map(\.id)) == Set(blue.map(\.id)))
            let newGreen = after.filter { $0.labels["shipshape.io/slot"] == "1" }
            #expect(newGreen.count == 2 && newGreen.allSatisfy { $0.isRunning })
            #expect(Set(newGreen.compactMap { $0.labels["shipshape.io/replica"] }) == ["0", "1"])
        }
    }

    @Test("the nginx switch reads back where it sends traffic")
    func nginxCurrentEndpoints() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-upstream")
        defer { directory.remove() }
        let switcher = NginxUpstreamSwitch(directory: directory.path, reloadCommand: ["/bin/true"], settle: .zero)
        let route = TrafficRoute(environment: "dev", service: "api")
        #expect(try await switcher.currentEndpoints(route) == nil)
        let endpoints = [TrafficEndpoint(host: "127.0.0.1", port: 18081), TrafficEndpoint(host: "::1", port: 18080)]
        try await switcher.route(route, to: endpoints, logger: ProviderHarness.logger)
        #expect(try await switcher.currentEndpoints(route)?.sorted() == endpoints.sorted())
    }
}
