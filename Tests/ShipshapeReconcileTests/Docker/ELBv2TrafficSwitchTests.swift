import AsyncHTTPClient
import Foundation
import Logging
import ShipshapeAWS
import ShipshapeDocker
import ShipshapeManifest
import ShipshapeTesting
import Synchronization
import Testing

@testable import ShipshapeReconcile

/// Blue/green's ELBv2 switch against moto: what moto models of target registration is checked
/// there; what it does not (several ports of one instance, draining, `initial` health) is checked
/// on the switch's decisions from a reading of the group.
///
/// moto 5.2.1 keys a group's targets by id alone: registering `(i-1, 18180)` replaces
/// `(i-1, 18080)`, and deregistering `(i-1, 18080)` then removes `(i-1, 18180)`. So these tests
/// give this host one replica (one port) in moto.
@Suite("ELBv2 traffic switch")
struct ELBv2TrafficSwitchTests {
    static let logger = Logger(label: "test.elbv2-switch")

    /// A target group in moto's default VPC, this host's instance, and another instance whose
    /// target (port 8080) is registered and must stay.
    struct Group {
        let arn: String
        let host: String
        let other: String
    }

    static func makeGroup(
        _ fixture: AWSProviderFixture, type: String = "instance", host: String? = nil, other: String? = nil
    )
        async throws -> Group
    {
        let output = try await fixture.moto.python(
            """
            import boto3
            ec2 = boto3.client("ec2")
            vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
            arn = boto3.client("elbv2").create_target_group(
                Name="web-\(type)", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="\(type)")["TargetGroups"][0]["TargetGroupArn"]
            if "\(type)" == "instance":
                ids = [i["InstanceId"] for i in ec2.run_instances(ImageId="ami-12c6146b", MinCount=2, MaxCount=2)["Instances"]]
            else:
                ids = ["\(host ?? "")", "\(other ?? "")"]
            boto3.client("elbv2").register_targets(TargetGroupArn=arn, Targets=[{"Id": ids[1], "Port": 8080}])
            print(arn, ids[0], ids[1], end="")
            """)
        let parts = output.split(separator: " ").map(String.init)
        guard parts.count == 3 else { throw HarnessError("unexpected setup output: \(output)") }
        return Group(arn: parts[0], host: parts[1], other: parts[2])
    }

    /// The group's targets as `ID:PORT STATE`, sorted.
    static func targets(_ fixture: AWSProviderFixture, _ arn: String) async throws -> [String] {
        try await ELBv2Client(client: fixture.client).describeTargetHealth(targetGroupARN: arn)
            .map { "\($0.target.id):\($0.target.port ?? 0) \($0.state)" }.sorted()
    }

    static func elbSwitch(
        _ fixture: AWSProviderFixture, identity: ELBv2TrafficSwitch.Identity, healthTimeout: Duration = .seconds(30)
    ) -> ELBv2TrafficSwitch {
        ELBv2TrafficSwitch(
            clients: .single(fixture.client), identity: identity, healthTimeout: healthTimeout,
            drainTimeout: .seconds(30), pollInterval: .milliseconds(200))
    }

    static func route(_ arn: String) -> TrafficRoute {
        TrafficRoute(environment: "prod", service: "api", targetGroupArn: arn)
    }

    @Test("switching from port A to B registers B, drops A, leaves another instance's target alone, and is idempotent")
    func switchPorts() async throws {
        try await AWSProviderFixture.with { fixture in
            let group = try await Self.makeGroup(fixture)
            let elb = Self.elbSwitch(fixture, identity: .instance(group.host))
            let (portA, portB) = (18080, 18180)

            try await elb.route(
                Self.route(group.arn), to: [TrafficEndpoint(host: "127.0.0.1", port: portA)], logger: Self.logger)
            #expect(
                try await Self.targets(fixture, group.arn)
                    == ["\(group.host):\(portA) healthy", "\(group.other):8080 healthy"].sorted())

            // Again: one reading, no change.
            fixture.proxy.clearRecording()
            try await elb.route(
                Self.route(group.arn), to: [TrafficEndpoint(host: "127.0.0.1", port: portA)], logger: Self.logger)
            #expect(fixture.mutatingCalls.isEmpty, "\(fixture.proxy.actions)")
            #expect(fixture.proxy.actions == ["DescribeTargetHealth"])

            fixture.proxy.clearRecording()
            try await elb.route(
                Self.route(group.arn), to: [TrafficEndpoint(host: "127.0.0.1", port: portB)], logger: Self.logger)
            #expect(
                try await Self.targets(fixture, group.arn)
                    == ["\(group.host):\(portB) healthy", "\(group.other):8080 healthy"].sorted())
            let registered = fixture.proxy.calls(in: ["RegisterTargets"])
            #expect(registered.count == 1)
            #expect(registered.first?.body.contains("Targets.member.1.Id=\(group.host)") == true)
            #expect(registered.first?.body.contains("Targets.member.1.Port=\(portB)") == true)
            #expect(registered.first?.body.contains("Targets.member.2") == false)
            // The other instance's target is never in a mutating call.
            #expect(
                !fixture.proxy.calls(in: ["RegisterTargets", "DeregisterTargets"]).contains {
                    $0.body.contains(group.other)
                })

            fixture.proxy.clearRecording()
            try await elb.route(
                Self.route(group.arn), to: [TrafficEndpoint(host: "127.0.0.1", port: portB)], logger: Self.logger)
            #expect(fixture.mutatingCalls.isEmpty, "\(fixture.proxy.actions)")

            // Where this host's traffic goes, read back (the other instance's target is not ours).
            #expect(try await elb.currentEndpoints(Self.route(group.arn)) == [TrafficEndpoint(host: "127.0.0.1", port: portB)])
        }
    }

    @Test("an IP identity registers the address with the endpoint's port; the instance id can come from IMDSv2")
    func identities() async throws {
        try await AWSProviderFixture.with { fixture in
            // The IP group is named web-ip, the instance group below web-instance.
            let ipGroup = try await Self.makeGroup(fixture, type: "ip", host: "10.0.0.5", other: "10.0.0.9")
            let byAddress = Self.elbSwitch(fixture, identity: .ipAddress("10.0.0.5"))
            try await byAddress.route(
                Self.route(ipGroup.arn), to: [TrafficEndpoint(host: "127.0.0.1", port: 18081)], logger: Self.logger)
            #expect(
                try await Self.targets(fixture, ipGroup.arn) == ["10.0.0.5:18081 healthy", "10.0.0.9:8080 healthy"])

            // moto's metadata endpoint says this instance is i-fake.
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let metadata = InstanceMetadataClient(
                    httpClient: http,
                    environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": fixture.moto.endpoint.absoluteString],
                    timeout: .seconds(30))
                let group = try await Self.makeGroup(fixture)
                let fromMetadata = Self.elbSwitch(fixture, identity: .instanceFromMetadata(metadata))
                try await fromMetadata.route(
                    Self.route(group.arn), to: [TrafficEndpoint(host: "127.0.0.1", port: 18082)], logger: Self.logger)
                #expect(
                    try await Self.targets(fixture, group.arn)
                        == ["\(group.other):8080 healthy", "i-fake:18082 healthy"].sorted())
                let disabled = Self.elbSwitch(
                    fixture,
                    identity: .instanceFromMetadata(
                        InstanceMetadataClient(httpClient: http, environment: ["AWS_EC2_METADATA_DISABLED": "true"])))
                let error = await #expect(throws: TrafficSwitchError.self) {
                    try await disabled.route(
                        Self.route(group.arn), to: [TrafficEndpoint(host: "127.0.0.1", port: 18082)],
                        logger: Self.logger)
                }
                #expect(
                    error?.description.contains("target group \(group.arn)") == true, "\(String(describing: error))")
                #expect(
                    error?.description.contains("AWS_EC2_METADATA_DISABLED") == true, "\(String(describing: error))")
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    @Test("a target that stays unhealthy fails naming the group, the target and its reason; a missing group is named")
    func failures() async throws {
        try await AWSProviderFixture.with { fixture in
            let group = try await Self.makeGroup(fixture)
            let elb = Self.elbSwitch(fixture, identity: .instance(group.host), healthTimeout: .seconds(2))
            let endpoint = TrafficEndpoint(host: "127.0.0.1", port: 18080)
            try await elb.route(Self.route(group.arn), to: [endpoint], logger: Self.logger)
            // A stopped instance's target is `unused` (Target.InvalidState) in moto, and stays so.
            try await fixture.moto.python(
                """
                import boto3
                boto3.client("ec2").stop_instances(InstanceIds=["\(group.host)"])
                """)
            fixture.proxy.clearRecording()
            let unhealthy = await #expect(throws: TrafficSwitchError.self) {
                try await elb.route(Self.route(group.arn), to: [endpoint], logger: Self.logger)
            }
            let text = unhealthy?.description ?? ""
            #expect(text.contains("target group \(group.arn)"), "\(text)")
            #expect(text.contains("\(group.host):18080 unused (Target.InvalidState"), "\(text)")
            #expect(text.contains("other targets were not touched"), "\(text)")
            // Nothing was registered by this call, so nothing was deregistered either.
            #expect(fixture.mutatingCalls.isEmpty, "\(fixture.proxy.actions)")
            #expect(try await Self.targets(fixture, group.arn).contains("\(group.other):8080 healthy"))

            let missing = group.arn.replacingOccurrences(of: "targetgroup/web-instance/", with: "targetgroup/gone/")
            let notFound = await #expect(throws: TrafficSwitchError.self) {
                try await elb.route(Self.route(missing), to: [endpoint], logger: Self.logger)
            }
            #expect(
                notFound?.description.contains("target group \(missing)") == true, "\(String(describing: notFound))")
            #expect(notFound?.description.contains("TargetGroupNotFound") == true, "\(String(describing: notFound))")
        }
    }

    /// What moto cannot show (it keeps one port per instance): the decisions on a group where this
    /// instance has several ports, draining targets and targets that are not in the group.
    @Test("decisions from one reading: register what is missing or draining, deregister only this host's other ports")
    func decisions() {
        func health(_ id: String, _ port: Int, _ state: String, _ reason: String? = nil) -> ELBTargetHealth {
            ELBTargetHealth(target: ELBTarget(id: id, port: port), state: state, reason: reason)
        }
        let current = [
            health("i-self", 18080, "healthy"), health("i-self", 18081, "healthy"),
            health("i-self", 18180, "draining", "Target.DeregistrationInProgress"),
            health("i-self", 18181, "initial", "Elb.RegistrationInProgress"),
            health("i-other", 18080, "healthy"), health("i-other", 18180, "unhealthy", "Target.ResponseCodeMismatch"),
            health("i-self", 18999, "unused", "Target.NotRegistered"),
        ]
        let green: Set<ELBTarget> = [ELBTarget(id: "i-self", port: 18180), ELBTarget(id: "i-self", port: 18181)]
        // The draining one is registered again; the initial one is already registered.
        #expect(
            ELBv2TrafficSwitch.toRegister(wanted: green, current: current) == [ELBTarget(id: "i-self", port: 18180)])
        #expect(
            ELBv2TrafficSwitch.unhealthy(wanted: green, current: current) == [
                "i-self:18180 draining (Target.DeregistrationInProgress)",
                "i-self:18181 initial (Elb.RegistrationInProgress)",
            ])
        let afterSwitch = current.map {
            $0.target.id == "i-self" && green.contains($0.target)
                ? health($0.target.id, $0.target.port!, "healthy") : $0
        }
        #expect(ELBv2TrafficSwitch.unhealthy(wanted: green, current: afterSwitch).isEmpty)
        // Blue's two ports leave; the other instance's targets and a target not in the group do not.
        let leaving = ELBv2TrafficSwitch.leaving(host: "i-self", wanted: green, current: afterSwitch)
        #expect(leaving.map(\.target) == [ELBTarget(id: "i-self", port: 18080), ELBTarget(id: "i-self", port: 18081)])
        #expect(leaving.allSatisfy(ELBv2TrafficSwitch.isRegistered))
        // Switching back to blue while green's ports drain: blue is still registered, green leaves.
        let blue: Set<ELBTarget> = [ELBTarget(id: "i-self", port: 18080), ELBTarget(id: "i-self", port: 18081)]
        #expect(ELBv2TrafficSwitch.toRegister(wanted: blue, current: current).isEmpty)
        #expect(
            ELBv2TrafficSwitch.leaving(host: "i-self", wanted: blue, current: current).map(\.target).sorted(
                by: ELBv2TrafficSwitch.order)
                == [ELBTarget(id: "i-self", port: 18180), ELBTarget(id: "i-self", port: 18181)])
        #expect(
            ELBv2TrafficSwitch.unhealthy(wanted: [ELBTarget(id: "i-self", port: 1)], current: current) == [
                "i-self:1 not registered"
            ])
        #expect(
            ELBv2TrafficSwitch.region(
                ofTargetGroup:
                    "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web/0123456789abcdef")
                == "ap-northeast-2")
        #expect(
            ELBv2TrafficSwitch.region(
                ofTargetGroup: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/web/01")
                == nil)
    }
}

/// A traffic switch that passes every call to `inner` and notes when each returned.
final class RecordingTrafficSwitch: TrafficSwitch {
    let inner: any TrafficSwitch
    private let log = Mutex<[(endpoints: [TrafficEndpoint], returnedAt: Date)]>([])

    init(_ inner: any TrafficSwitch) { self.inner = inner }

    var switchBudget: Duration { inner.switchBudget }

    func route(_ route: TrafficRoute, to endpoints: [TrafficEndpoint], logger: Logger) async throws {
        try await inner.route(route, to: endpoints, logger: logger)
        log.withLock { $0.append((endpoints, Date())) }
    }

    var switches: [(endpoints: [TrafficEndpoint], returnedAt: Date)] { log.withLock { $0 } }
}

extension ELBv2TrafficSwitchTests {
    @Test(
        "blue/green with a target group: the group ends with this instance's green port, blue is kept at least keepBlueFor after the switch"
    )
    func blueGreenRollout() async throws {
        let repository = try await RolloutImages.httpServer("elbswitch", versions: ["1.0.0", "2.0.0"])
        try await ProviderHarness.with(images: ["\(repository):1.0.0", "\(repository):2.0.0"]) { harness in
            try await AWSProviderFixture.with { fixture in
                let group = try await Self.makeGroup(fixture)
                let recorder = RecordingTrafficSwitch(Self.elbSwitch(fixture, identity: .instance(group.host)))
                let bg = harness.with(DockerRuntimeOptions(targetGroupTrafficSwitch: recorder))
                let base = try RolloutTests.portBase(replicas: 1)
                let keep = Duration.seconds(600)
                let v1 = RolloutImages.service(
                    repository: repository, tag: "1.0.0", hostPort: base,
                    strategy: DeploymentStrategy(kind: .blueGreen, keepBlueFor: keep, targetGroupArn: group.arn))
                var v2 = v1
                v2.image.tag = "2.0.0"

                try await bg.deployOrThrow([v1])
                #expect(
                    try await Self.targets(fixture, group.arn)
                        == ["\(group.host):\(base) healthy", "\(group.other):8080 healthy"].sorted())
                let blue = try await bg.containers()

                let beforeGreen = Date()
                try await bg.deployOrThrow([v2], revision: "r2")
                let afterGreen = Date()
                #expect(
                    try await Self.targets(fixture, group.arn)
                        == ["\(group.host):\(base + 100) healthy", "\(group.other):8080 healthy"].sorted())
                let both = try await bg.containers()
                #expect(both.count == 2 && both.allSatisfy(\.isRunning), "blue is kept beside green")
                let green = try #require(both.first { !blue.map(\.id).contains($0.id) })
                let switched = try #require(recorder.switches.last)
                #expect(switched.endpoints.map(\.port) == [base + 100])
                // The keep time on green ends no earlier than keepBlueFor after the switch returned:
                // it is written before green starts as that time + keepBlueFor + the budget to the
                // switch: 5 s to create the replica, its 15 s health timeout plus 5 s, and the
                // switch's own 30 s + 30 s + 60 s.
                let label = try #require(green.labels["shipshape.io/retire-previous-after"].flatMap(TimeInterval.init))
                #expect(
                    label >= switched.returnedAt.timeIntervalSince1970 + 600,
                    "label \(label), switch \(switched.returnedAt)")
                let budget: TimeInterval = 5 + 20 + 120 + 600
                #expect(label >= beforeGreen.timeIntervalSince1970 + budget, "label \(label)")
                #expect(label <= afterGreen.timeIntervalSince1970 + budget + 1, "label \(label)")
                let settled = try await bg.plan([v2], revision: "r2")
                #expect(settled.changes.isEmpty, "\(PlanRenderer.text(settled))")

                // Back to v1: blue is registered again, green's port leaves the group, no new container.
                try await bg.deployOrThrow([v1], revision: "r3")
                #expect(
                    try await Self.targets(fixture, group.arn)
                        == ["\(group.host):\(base) healthy", "\(group.other):8080 healthy"].sorted())
                #expect(try await bg.containers().map(\.id) == blue.map(\.id))
            }
        }
    }
}
