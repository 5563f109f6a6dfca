import Foundation
import ShipshapeDocker
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Synchronization
import Testing

/// Rolling, blue/green and canary rollouts against the real daemon, with traffic observed over
/// 127.0.0.1 through a real nginx while they run.
@Suite("Docker provider: rollouts")
struct RolloutTests {
    /// Ports for `replicas` replicas in both slots, all free now (slot 1 is `offset` higher).
    static func portBase(replicas: Int, offset: Int = 100) throws -> Int {
        try LoopbackPort.freeBase(offsets: (0..<replicas).flatMap { [$0, offset + $0] })
    }

    @Test("rolling, 3 replicas, maxUnavailable 1, behind nginx: no request fails, every replica ends on the new version")
    func rollingZeroDowntime() async throws {
        let repository = try await RolloutImages.httpServer("rolling", versions: ["1.0.0", "2.0.0"])
        try await ProviderHarness.with(images: ["\(repository):1.0.0", "\(repository):2.0.0"]) { harness in
            let base = try Self.portBase(replicas: 3)
            let v1 = RolloutImages.service(repository: repository, tag: "1.0.0", replicas: 3, hostPort: base)
            try await harness.deployOrThrow([v1])
            let nginx = try await NginxBalancer.start(ports: [base, base + 1, base + 2])
            defer { Task { await nginx.stop() } }
            #expect(try await LoopbackHTTP.get(port: nginx.port, path: "/version") == "1.0.0")

            let observer = RequestObserver(url: "http://127.0.0.1:\(nginx.port)/version")
            var v2 = v1
            v2.image.tag = "2.0.0"
            let plan = try await harness.deployOrThrow([v2], revision: "r2")
            try await Task.sleep(for: .milliseconds(300))
            let report = await observer.stop()
            let nginxLog = nginx.errorLog()
            await nginx.stop()

            #expect(plan.changes.first?.action == .replace)
            #expect(report.failures.isEmpty, "\(report)\n\(nginxLog)")
            #expect(report.bodies["1.0.0", default: 0] > 0 && report.bodies["2.0.0", default: 0] > 0, "\(report)")
            #expect(report.sequence.last == "2.0.0")
            let containers = try await harness.containers()
            #expect(containers.count == 3)
            #expect(containers.allSatisfy { $0.isRunning && $0.image.hasSuffix(":2.0.0") })
        }
    }

    @Test("rolling, maxUnavailable 2: a bad tag rolls back to the old containers and the revision is stalled")
    func rollingRollback() async throws {
        let repository = try await RolloutImages.httpServer("rollback", versions: ["1.0.0"])
        try await RolloutImages.bad(repository, tag: "bad")
        try await ProviderHarness.with(images: ["\(repository):1.0.0", "\(repository):bad"]) { harness in
            let base = try Self.portBase(replicas: 3)
            let v1 = RolloutImages.service(
                repository: repository, tag: "1.0.0", replicas: 3, hostPort: base,
                strategy: DeploymentStrategy(kind: .rolling, maxUnavailable: 2), healthTimeout: .seconds(30))
            try await harness.deployOrThrow([v1])
            let before = try await harness.containers()
            let nginx = try await NginxBalancer.start(ports: [base, base + 1, base + 2])
            defer { Task { await nginx.stop() } }

            let observer = RequestObserver(url: "http://127.0.0.1:\(nginx.port)/version")
            var bad = v1
            bad.image.tag = "bad"
            let (_, applied) = try await harness.deploy([bad], revision: "r-bad")
            let report = await observer.stop()
            await nginx.stop()

            let failure = try #require(applied.failure)
            #expect(ErrorDisposition.of(failure.error) == .stalled)
            #expect("\(failure.error)".contains("rolled back"), "\(failure.error)")
            // The Docker health command reported unhealthy: the rollout did not wait out the health timeout.
            #expect("\(failure.error)".contains("reports unhealthy"), "\(failure.error)")
            // Two replicas were down at once, one kept serving. (nginx does not health-check, so the
            // bad replicas may have answered a few requests while they ran.)
            #expect(report.failures.isEmpty, "\(report)")
            #expect(report.sequence.first == "1.0.0" && report.bodies["1.0.0", default: 0] > 0, "\(report)")
            #expect(try await LoopbackHTTP.get(port: base, path: "/version") == "1.0.0")
            let after = try await harness.containers()
            #expect(Set(after.map(\.id)) == Set(before.map(\.id)))
            #expect(after.allSatisfy { $0.isRunning })
            #expect(try await harness.plan([v1]).changes.isEmpty)
        }
    }

    @Test("a missing image fails before anything is stopped")
    func missingImage() async throws {
        let repository = try await RolloutImages.httpServer("missing", versions: ["1.0.0"])
        try await ProviderHarness.with(images: ["\(repository):1.0.0"]) { harness in
            let port = try LoopbackPort.free()
            let v1 = RolloutImages.service(repository: repository, tag: "1.0.0", hostPort: port)
            try await harness.deployOrThrow([v1])
            let before = try await harness.containers()
            var missing = v1
            missing.image = ImageReference(registry: "127.0.0.1:\(try LoopbackPort.free())", repository: repository, tag: "9.9.9")
            let (_, report) = try await harness.deploy([missing], revision: "r2")
            let failure = try #require(report.failure)
            #expect("\(failure.error)".contains("nothing was stopped"), "\(failure.error)")
            #expect(try await harness.containers().map(\.id) == before.map(\.id))
            #expect(try await LoopbackHTTP.get(port: port, path: "/version") == "1.0.0")
        }
    }

    @Test("blue/green through nginx: green starts beside blue, traffic switches without a failed request, blue is kept then removed")
    func blueGreen() async throws {
        let repository = try await RolloutImages.httpServer("bluegreen", versions: ["1.0.0", "2.0.0"])
        try await RolloutImages.bad(repository, tag: "bad")
        try await ProviderHarness.with(images: ["\(repository):1.0.0", "\(repository):2.0.0", "\(repository):bad"]) { harness in
            // nginx proxies to the upstream the switch writes for this service.
            let route = TrafficRoute(environment: harness.env, service: "api")
            let balancer = try await NginxBalancer.start(
                includingUpstream: NginxUpstreamSwitch.upstreamName(for: route), fileName: "\(harness.env)-api.conf")
            defer { Task { await balancer.stop() } }
            // The provider's wall clock, moved forward instead of waiting out `keepBlueFor`.
            let skew = Mutex<TimeInterval>(0)
            let bg = harness.with(
                DockerRuntimeOptions(
                    localTrafficSwitch: NginxUpstreamSwitch(
                        directory: balancer.upstreamDirectory, reloadCommand: balancer.reloadCommand, reloadTimeout: .seconds(10)),
                    now: { Date().addingTimeInterval(skew.withLock { $0 }) }))
            let base = try Self.portBase(replicas: 2)
            let strategy = DeploymentStrategy(kind: .blueGreen, keepBlueFor: .seconds(600))
            let v1 = RolloutImages.service(repository: repository, tag: "1.0.0", replicas: 2, hostPort: base, strategy: strategy)

            try await bg.deployOrThrow([v1])
            #expect(try await LoopbackHTTP.get(port: balancer.port, path: "/version") == "1.0.0")
            let blue = try await bg.containers()
            #expect(blue.count == 2)

            let observer = RequestObserver(url: "http://127.0.0.1:\(balancer.port)/version")
            var v2 = v1
            v2.image.tag = "2.0.0"
            try await bg.deployOrThrow([v2], revision: "r2")
            let switched = Date()
            try await Task.sleep(for: .milliseconds(300))
            let report = await observer.stop()
            #expect(report.failures.isEmpty, "\(report)\n\(balancer.errorLog())")
            #expect(report.sequence == ["1.0.0", "2.0.0"], "\(report)")
            // Green on the alternate ports, blue still running for a rollback.
            let both = try await bg.containers()
            #expect(both.count == 4 && both.allSatisfy { $0.isRunning })
            let upstreamText = try String(contentsOfFile: "\(balancer.upstreamDirectory)/\(harness.env)-api.conf", encoding: .utf8)
            #expect(upstreamText.contains("127.0.0.1:\(base + 100)") && upstreamText.contains("127.0.0.1:\(base + 101)"))
            let settled = try await bg.plan([v2], revision: "r2")
            #expect(settled.changes.isEmpty, "\(PlanRenderer.text(settled))")

            // Green's label names when blue may go: keepBlueFor after the switch at the earliest
            // (the deploy returned right after it). Once the clock passes it, the next cycle
            // retires the old blue set.
            let retireAt = try both.compactMap { $0.labels["shipshape.io/retire-previous-after"].flatMap(TimeInterval.init) }
                .max().map { Date(timeIntervalSince1970: $0) } ?? { throw HarnessError("green has no retire label") }()
            #expect(retireAt.timeIntervalSince(switched) >= 600 - 5, "blue kept only until \(retireAt), switched at \(switched)")
            skew.withLock { $0 = retireAt.timeIntervalSinceNow + 1 }
            let retire = try await bg.plan([v2], revision: "r2")
            #expect(retire.changes.first?.fields.map(\.path) == ["retired"], "\(PlanRenderer.text(retire))")
            try await bg.deployOrThrow([v2], revision: "r2")
            let green = try await bg.containers()
            #expect(green.count == 2 && green.allSatisfy { $0.image.hasSuffix(":2.0.0") })
            #expect(Set(green.map(\.id)).isDisjoint(with: blue.map(\.id)))

            // A bad green never gets traffic and is removed; the running set stays in traffic.
            var bad = v2
            bad.image.tag = "bad"
            let (_, failed) = try await bg.deploy([bad], revision: "r-bad")
            let failure = try #require(failed.failure)
            #expect(ErrorDisposition.of(failure.error) == .stalled)
            #expect("\(failure.error)".contains("green removed"), "\(failure.error)")
            #expect(try await LoopbackHTTP.get(port: balancer.port, path: "/version") == "2.0.0")
            #expect(try await bg.containers().map(\.id).sorted() == green.map(\.id).sorted())
        }
    }

    @Test("blue/green rollback to the kept blue set switches back without new containers")
    func blueGreenInstantRollback() async throws {
        let repository = try await RolloutImages.httpServer("instant", versions: ["1.0.0", "2.0.0"])
        try await ProviderHarness.with(images: ["\(repository):1.0.0", "\(repository):2.0.0"]) { harness in
            let route = TrafficRoute(environment: harness.env, service: "api")
            let balancer = try await NginxBalancer.start(
                includingUpstream: NginxUpstreamSwitch.upstreamName(for: route), fileName: "\(harness.env)-api.conf")
            defer { Task { await balancer.stop() } }
            let bg = harness.with(
                DockerRuntimeOptions(
                    localTrafficSwitch: NginxUpstreamSwitch(directory: balancer.upstreamDirectory, reloadCommand: balancer.reloadCommand)))
            let base = try Self.portBase(replicas: 1)
            let v1 = RolloutImages.service(
                repository: repository, tag: "1.0.0", hostPort: base,
                strategy: DeploymentStrategy(kind: .blueGreen, keepBlueFor: .seconds(600)))
            var v2 = v1
            v2.image.tag = "2.0.0"
            try await bg.deployOrThrow([v1])
            let blue = try await bg.containers()
            try await bg.deployOrThrow([v2], revision: "r2")
            #expect(try await LoopbackHTTP.get(port: balancer.port, path: "/version") == "2.0.0")
            let observer = RequestObserver(url: "http://127.0.0.1:\(balancer.port)/version")
            try await bg.deployOrThrow([v1], revision: "r3")
            try await Task.sleep(for: .milliseconds(200))
            let report = await observer.stop()
            #expect(report.failures.isEmpty, "\(report)")
            #expect(report.sequence.last == "1.0.0")
            // Switched back to the kept containers: nothing new was created or pulled.
            #expect(try await bg.containers().map(\.id) == blue.map(\.id))
        }
    }

    @Test("blue/green without a traffic switch fails before anything starts")
    func blueGreenNeedsSwitch() async throws {
        let repository = try await RolloutImages.httpServer("noswitch", versions: ["1.0.0"])
        try await ProviderHarness.with(images: ["\(repository):1.0.0"]) { harness in
            let v1 = RolloutImages.service(
                repository: repository, tag: "1.0.0", hostPort: try LoopbackPort.free(), strategy: DeploymentStrategy(kind: .blueGreen))
            let (_, report) = try await harness.deploy([v1])
            #expect("\(try #require(report.failure).error)".contains("needs a traffic switch"))
            #expect(try await harness.containers().isEmpty)
        }
    }

    @Test("canary: one replica first, observed, then the rest; a canary that fails while observed is rolled back")
    func canary() async throws {
        let repository = try await RolloutImages.httpServer("canary", versions: ["1.0.0", "2.0.0"])
        try await TestImages.buildHTTPServer("\(repository):dies", version: "dies")
        try await ProviderHarness.with(images: ["\(repository):1.0.0", "\(repository):2.0.0", "\(repository):dies"]) { harness in
            let base = try Self.portBase(replicas: 2)
            // Long enough for the killed canary's health check to turn unhealthy within it on a loaded host.
            let strategy = DeploymentStrategy(kind: .canary, observe: .seconds(15))
            let v1 = RolloutImages.service(repository: repository, tag: "1.0.0", replicas: 2, hostPort: base, strategy: strategy)
            try await harness.deployOrThrow([v1])

            // During the observation one replica runs 2.0.0 and the other still 1.0.0.
            var v2 = v1
            v2.image.tag = "2.0.0"
            let target = v2
            let rollout = Task { try await harness.deployOrThrow([target], revision: "r2") }
            var during: [String] = []
            for _ in 0..<100 {
                during = try await harness.containers().filter { $0.isRunning }.map(\.image).sorted()
                if during.contains("\(repository):2.0.0") { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            _ = try await rollout.value
            #expect(during == ["\(repository):1.0.0", "\(repository):2.0.0"], "\(during)")
            #expect(try await harness.containers().allSatisfy { $0.image.hasSuffix(":2.0.0") })

            // A canary that becomes unhealthy while observed (its health file goes away).
            var dies = v2
            dies.image.tag = "dies"
            let before = try await harness.containers()
            let killer = Task {
                for _ in 0..<600 {
                    try await Task.sleep(for: .milliseconds(250))
                    let canary = try await harness.containers().first { $0.image.hasSuffix(":dies") && $0.isRunning }
                    if let canary {
                        try await Command.run(["docker", "exec", canary.id, "/bin/busybox", "rm", "/www/actuator/health"])
                        return true
                    }
                }
                return false
            }
            let (_, report) = try await harness.deploy([dies], revision: "r3")
            #expect(try await killer.value)
            let failure = try #require(report.failure)
            #expect("\(failure.error)".contains("canary"), "\(failure.error)")
            #expect(ErrorDisposition.of(failure.error) == .stalled)
            let after = try await harness.containers()
            #expect(Set(after.map(\.id)) == Set(before.map(\.id)))
            #expect(after.allSatisfy { $0.isRunning && $0.image.hasSuffix(":2.0.0") })
        }
    }
}
