import AsyncHTTPClient
import Foundation
import NIOCore
import ShipshapeDocker
import ShipshapeTesting
import Testing

/// Issue #7: the real `shipshape` binary, killed with SIGKILL in the middle of a multi-step apply, then
/// started again, converges to exactly what the manifests say — nothing duplicated, nothing left half
/// done — and reports the interrupted apply.
///
/// The plan: three rolling services with two replicas each, a blue/green service (kept blue, local
/// traffic switch) and a security group in moto; every round flips the image tag of all four and the
/// security group's port. Round k kills the controller when its log shows the `killAt[k]`-th rollout
/// step (`Applying change`, `Creating container`, `Stopping old replica`, `Starting container`,
/// `Removing container`, …), so the rounds cut the apply at different places.
@Suite("Crash and resume", .serialized)
struct CrashResumeTests {
    /// Log messages that mark a step of an apply.
    static let stepMessages: Set<String> = [
        "Applying change", "Creating container", "Stopping old replica", "Starting container", "Replica healthy",
        "Removing container", "Green set healthy, switching traffic", "Switching traffic",
        "Authorized security group rules", "Revoked security group rules",
    ]
    /// Which step each round is killed at. A round has about 40 steps (concurrent, so their order
    /// varies); the last ones are left alone so that the kill always lands inside the apply.
    static let killAt = [2, 7, 13, 19, 25, 31]
    static let rolling = ["alpha", "beta", "gamma"]
    static let blueGreen = "delta"

    @Test(
        "kill -9 at different steps of a rollout, restart: the manifests' end state, no duplicates, the interruption reported"
    )
    func killAndResume() async throws {
        let moto = try await MotoServer.start()
        do {
            try await DeploymentHarness.with { harness in
                try await run(harness, moto: moto)
            }
        } catch {
            await moto.stop()
            throw error
        }
        await moto.stop()
    }

    func run(_ harness: DeploymentHarness, moto: MotoServer) async throws {
        let vpcs =
            try await moto.awsJSON(["ec2", "describe-vpcs", "--filters", "Name=isDefault,Values=true"])
            as? [String: Any]
        let vpc = try #require(
            (vpcs?["Vpcs"] as? [[String: Any]])?.first?["VpcId"] as? String, "moto has no default VPC")
        var ports: [String: Int] = [:]
        for name in Self.rolling + [Self.blueGreen] {
            let taken = Set(ports.values.flatMap { [$0, $0 + 1, $0 + 100, $0 + 101] })
            ports[name] = try Self.freePortBlock(avoiding: taken)
        }
        let listen = try LoopbackPort.free()
        let upstreams = harness.directory.appending("upstreams")
        let configPath = try harness.directory.write(
            """
            git:
              url: \(harness.repo.fileURL)
              branch: main
              pollInterval: 1s
            environments: [\(harness.env)]
            stateDirectory: \(harness.directory.appending("state"))
            listen: 127.0.0.1:\(listen)
            docker:
              socket: /var/run/docker.sock
              ecr: false
              trafficSwitch: { upstreamDirectory: \(upstreams), reloadCommand: [/bin/true] }
            aws:
              region: us-east-1
              endpoint: \(moto.endpoint.absoluteString)
            """, to: "shipshape.yaml")
        let round = Round(harness: harness, moto: moto, vpc: vpc, ports: ports, listen: listen, configPath: configPath)

        // The starting point, applied without interruption.
        var revision = try await round.commit(tag: "1.0.0", sgPort: 8080, message: "v1")
        var controller = try round.start("initial")
        try await round.waitConverged(controller, revision: revision)
        try await round.checkEndState(tag: "1.0.0", sgPort: 8080)
        await controller.stop()

        for (number, stepNumber) in Self.killAt.enumerated() {
            let tag = number % 2 == 0 ? "1.0.1" : "1.0.0"
            let sgPort = number % 2 == 0 ? 8081 : 8080
            revision = try await round.commit(tag: tag, sgPort: sgPort, message: "round \(number)")

            controller = try round.start("round\(number)-killed")
            let step = try await round.waitForStep(stepNumber, of: controller)
            await controller.kill9()
            let journal = try #require(
                try round.journal(),
                "round \(number): killed at step \(stepNumber) (\(step)) but no apply journal was left; log:\n\(controller.recentLog())"
            )
            #expect(journal.contains(revision), "round \(number): the journal names another revision:\n\(journal)")

            controller = try round.start("round\(number)-resumed")
            try await round.waitConverged(controller, revision: revision)
            let reported = controller.records().filter { $0["msg"] == "Apply interrupted" && $0["env"] == harness.env }
            #expect(
                reported.count == 1, "round \(number): the restarted controller did not report the interrupted apply")
            #expect(reported.first?["revision"] == String(revision.prefix(12)))
            let metrics = try await round.get("/metrics")
            #expect(metrics.contains("shipshape_apply_interrupted_total{env=\"\(harness.env)\"} 1"))
            let status = try await round.status()
            let interrupted = status?["interruptedApply"] as? [String: Any]
            #expect(
                interrupted?["revision"] as? String == revision,
                "round \(number): status: \(String(describing: status))")
            try await round.checkEndState(
                tag: tag, sgPort: sgPort, context: "round \(number), killed at step \(stepNumber) (\(step))")
            #expect(try round.journal() == nil, "round \(number): the journal outlived the apply")
            await controller.stop()
        }

        let history = try String(
            contentsOfFile: harness.directory.appending("state/environments/\(harness.env).history.jsonl"),
            encoding: .utf8)
        #expect(history.components(separatedBy: "\"result\":\"interrupted\"").count - 1 == Self.killAt.count)
    }

    /// A base port whose neighbours (the second replica, and the blue/green alternate slot 100 higher)
    /// are free too, below the ephemeral range (32768+) where outgoing connections and
    /// `LoopbackPort.free()` take theirs.
    static func freePortBlock(avoiding taken: Set<Int>) throws -> Int {
        for _ in 0..<100 {
            let base = Int.random(in: 12000...30000)
            let block = [base, base + 1, base + 100, base + 101]
            if block.allSatisfy({ !taken.contains($0) && !LoopbackPort.isOpen($0) }) { return base }
        }
        throw HarnessError("no free block of loopback ports")
    }
}

/// What every round of the test needs.
struct Round: Sendable {
    let harness: DeploymentHarness
    let moto: MotoServer
    let vpc: String
    let ports: [String: Int]
    let listen: Int
    let configPath: String

    func manifest(tag: String, sgPort: Int) -> String {
        var services = ""
        for name in CrashResumeTests.rolling + [CrashResumeTests.blueGreen] {
            let strategy =
                name == CrashResumeTests.blueGreen
                ? "{ type: blueGreen, keepBlueFor: 1h }" : "{ type: rolling, maxUnavailable: 1 }"
            services += """
                    \(name):
                      runtime: docker
                      image: \(harness.image)
                      tag: "\(tag)"
                      replicas: 2
                      ports: ["127.0.0.1:\(ports[name]!):8080"]
                      health: { http: /actuator/health, port: 8080, timeout: 60s }
                      strategy: \(strategy)

                """
        }
        return """
            apiVersion: shipshape.io/v1
            kind: Environment
            metadata:
              name: \(harness.env)
            spec:
              region: us-east-1
              services:
            \(services)  securityGroups:
                web:
                  vpc: \(vpc)
                  description: crash-resume test
                  ingress:
                    - { protocol: tcp, ports: \(sgPort), cidr: 10.0.0.0/16, description: api }

            """
    }

    func commit(tag: String, sgPort: Int, message: String) async throws -> String {
        try await harness.repo.commit(
            message, files: ["manifests/\(harness.env).yaml": manifest(tag: tag, sgPort: sgPort)])
    }

    func start(_ name: String) throws -> ControllerProcess {
        try ControllerProcess(
            configPath: configPath, logPath: harness.directory.appending("\(name).log"),
            environment: moto.clientEnvironment)
    }

    /// Waits until the controller's log shows its `number`-th step; returns that step's message.
    func waitForStep(_ number: Int, of controller: ControllerProcess) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            let steps = controller.records().filter { CrashResumeTests.stepMessages.contains($0["msg"] ?? "") }
            if steps.count >= number {
                let step = steps[number - 1]
                return "\(step["msg"] ?? "") \(step["resource"] ?? "") \(step["container"] ?? "")"
            }
            guard controller.isRunning else {
                throw HarnessError("the controller exited before step \(number):\n\(controller.recentLog())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("no step \(number) within 300 s:\n\(controller.recentLog())")
    }

    /// The apply journal left in the state directory, if any.
    func journal() throws -> String? {
        let path = harness.directory.appending("state/environments/\(harness.env).journal.json")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func get(_ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(listen)\(path)"), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 8 << 20))
    }

    /// This environment's entry of `/api/v1/status`.
    func status() async throws -> [String: Any]? {
        let document =
            try JSONSerialization.jsonObject(with: Data(try await get("/api/v1/status").utf8)) as? [String: Any]
        let environments = document?["environments"] as? [[String: Any]] ?? []
        return environments.first { $0["environment"] as? String == harness.env }
    }

    /// Waits until the controller reports `revision` applied and the environment converged.
    func waitConverged(_ controller: ControllerProcess, revision: String) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while ContinuousClock.now < deadline {
            if let status = try? await status(), status["appliedRevision"] as? String == revision,
                status["result"] as? String == "converged"
            {
                return
            }
            guard controller.isRunning else {
                throw HarnessError("the controller exited before applying \(revision):\n\(controller.recentLog())")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw HarnessError("\(revision) not applied within 300 s:\n\(controller.recentLog())")
    }

    /// The containers, the blue/green switch and the security group are what the manifests at `tag` and
    /// `sgPort` say, and nothing is doubled or left over.
    func checkEndState(tag: String, sgPort: Int, context: String = "initial") async throws {
        let containers = try await harness.containers()
        let image = "\(harness.image):\(tag)"
        #expect(
            containers.allSatisfy { $0.isRunning },
            "\(context): stopped or created leftovers: \(describe(containers.filter { !$0.isRunning }))")
        func of(_ name: String) -> [ContainerSummary] {
            containers.filter { $0.labels["shipshape.io/resource"] == "service/\(name)" }
        }
        func indexes(_ list: [ContainerSummary]) -> [String] {
            list.compactMap { $0.labels["shipshape.io/replica"] }.sorted()
        }

        for name in CrashResumeTests.rolling {
            let mine = of(name)
            #expect(mine.count == 2, "\(context): service/\(name) has \(mine.count) containers: \(describe(mine))")
            #expect(mine.allSatisfy { $0.image == image }, "\(context): service/\(name): \(describe(mine))")
            #expect(indexes(mine) == ["0", "1"], "\(context): service/\(name) replica indexes \(indexes(mine))")
        }

        // Blue/green: the set on the wanted tag is complete and in traffic; the other slot holds at most
        // the kept blue set.
        let all = of(CrashResumeTests.blueGreen)
        let green = all.filter { $0.image == image }
        let blue = all.filter { $0.image != image }
        #expect(green.count == 2 && indexes(green) == ["0", "1"], "\(context): green set \(describe(green))")
        let slots = Set(green.compactMap { $0.labels["shipshape.io/slot"] })
        #expect(slots.count == 1, "\(context): green spans slots \(slots)")
        #expect(blue.count <= 2 && Set(indexes(blue)).count == blue.count, "\(context): blue set \(describe(blue))")
        #expect(
            blue.allSatisfy { !slots.contains($0.labels["shipshape.io/slot"] ?? "0") },
            "\(context): blue and green share a slot")
        if let slot = slots.first.flatMap(Int.init) {
            let base = ports[CrashResumeTests.blueGreen]! + slot * 100
            let upstream = try String(
                contentsOfFile:
                    "\(harness.directory.appending("upstreams"))/\(harness.env)-\(CrashResumeTests.blueGreen).conf",
                encoding: .utf8)
            let servers = upstream.split(separator: "\n").filter { $0.contains("server ") }.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            #expect(
                servers == [
                    "server 127.0.0.1:\(base) max_fails=1 fail_timeout=5s;",
                    "server 127.0.0.1:\(base + 1) max_fails=1 fail_timeout=5s;",
                ],
                "\(context): traffic goes to \(servers), green is slot \(slot)")
        }

        // The security group: one group, exactly the one wanted ingress rule.
        let groups =
            try await moto.awsJSON([
                "ec2", "describe-security-groups", "--filters",
                "Name=tag:shipshape.io/environment,Values=\(harness.env)",
            ]) as? [String: Any]
        let list = groups?["SecurityGroups"] as? [[String: Any]] ?? []
        #expect(list.count == 1, "\(context): \(list.count) security groups")
        if let id = list.first?["GroupId"] as? String {
            let rules =
                try await moto.awsJSON([
                    "ec2", "describe-security-group-rules", "--filters", "Name=group-id,Values=\(id)",
                ]) as? [String: Any]
            let ingress = (rules?["SecurityGroupRules"] as? [[String: Any]] ?? []).filter {
                $0["IsEgress"] as? Bool == false
            }
            let summary = ingress.map { "\($0["FromPort"] ?? "?")-\($0["ToPort"] ?? "?") \($0["CidrIpv4"] ?? "?")" }
            #expect(summary == ["\(sgPort)-\(sgPort) 10.0.0.0/16"], "\(context): ingress rules \(summary)")
        }
    }

    func describe(_ containers: [ContainerSummary]) -> String {
        containers.map {
            "\($0.name) [\($0.state)] \($0.image) replica=\($0.labels["shipshape.io/replica"] ?? "?") slot=\($0.labels["shipshape.io/slot"] ?? "?")"
        }.joined(separator: "; ")
    }
}
