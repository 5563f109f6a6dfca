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

    var isStalled: Bool { stalled != nil }

    /// Lets the hanging switch end with an error.
    func release() {
        stalled?.resume(throwing: HarnessError("released by the test"))
        stalled = nil
    }

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
    @Test("blue/green cut between a healthy green set and the switch looks converged; applied again as interrupted, traffic moves to green")
    func blueGreenCutBeforeSwitch() async throws {
        let repository = try await RolloutImages.httpServer("cut", versions: ["1.0.0", "2.0.0"])
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

            // The rollout of v2 stops where a kill would stop it: green healthy, the switch not made.
            await traffic.stallNextSwitch()
            let cut = Task { try await bg.deploy([v2], revision: "r2") }
            let deadline = ContinuousClock.now + .seconds(120)
            while await !traffic.isStalled && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            try #require(await traffic.isStalled, "the green set never became healthy")
            #expect(try await bg.containers().filter(\.isRunning).count == 4)

            // Observed, green is the newest running set and blue is within its keep time: nothing to do,
            // although traffic still goes to blue. Only the journal knows the change did not finish.
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
            #expect(containers.count == 4 && containers.allSatisfy(\.isRunning), "green in traffic, blue kept for its keep time")
            #expect(try await bg.plan([v2], revision: "r3").changes.isEmpty)

            await traffic.release()
            _ = await cut.result
        }
    }
}
