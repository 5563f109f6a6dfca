import Foundation
import Logging
import ShipshapeAWS
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

@Suite("EC2 instances against moto", .timeLimit(.minutes(5)))
struct InstanceProviderTests {
    /// Launches one instance with `tags` and returns its id.
    static func launch(_ fixture: AWSProviderFixture, type: String = "t3.micro", tags: [String: String]) async throws -> String {
        let tagList = tags.map { "{\"Key\": \"\($0.key)\", \"Value\": \"\($0.value)\"}" }.joined(separator: ", ")
        let tagging = tags.isEmpty ? "" : ", TagSpecifications=[{\"ResourceType\": \"instance\", \"Tags\": [\(tagList)]}]"
        return try await fixture.moto.python(
            """
            import boto3
            r = boto3.client("ec2").run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="\(type)"\(tagging))
            print(r["Instances"][0]["InstanceId"])
            """
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func describe(_ fixture: AWSProviderFixture, _ id: String) async throws -> (type: String, state: String, tags: [String: String]) {
        let json = try await fixture.pythonJSON(
            """
            import boto3, json
            i = boto3.client("ec2").describe_instances(InstanceIds=["\(id)"])["Reservations"][0]["Instances"][0]
            print(json.dumps({"type": i["InstanceType"], "state": i["State"]["Name"], "tags": {t["Key"]: t["Value"] for t in i.get("Tags", [])}}))
            """)
        let object = json as? [String: Any] ?? [:]
        return (object["type"] as? String ?? "", object["state"] as? String ?? "", object["tags"] as? [String: String] ?? [:])
    }

    static func instance(_ name: String, type: String, tags: [String: String] = [:], adopt: Adoption?) -> Instance {
        Instance(name: name, type: type, ami: "ami-12c6146b", subnet: "subnet-12345678", tags: tags, adopt: adopt)
    }

    @Test("a type change on a running instance is stop → wait stopped → modify → start → wait running; disruptive; then a no-op")
    func resizeOrder() async throws {
        try await AWSProviderFixture.with { fixture in
            let id = try await Self.launch(fixture, tags: ["Name": "legacy-batch"])
            let environment = fixture.environment(
                EnvironmentSpec(instances: [
                    "batch": Self.instance("batch", type: "t3.large", tags: ["CostCenter": "batch"], adopt: .tag(key: "Name", value: "legacy-batch"))
                ]))
            let plan = try await fixture.plan(environment)
            let change = try #require(plan.changes.first)
            #expect(change.action == .update && change.disruptive)
            #expect(change.fields.first { $0.path == "type" }?.effect == .disruptive)
            #expect(change.live?.externalID == id)

            fixture.proxy.clearRecording()
            let report = await fixture.reconciler.apply(plan, logger: .init(label: "test"))
            #expect(report.succeeded, "\(report.failureText ?? "")")
            let actions = fixture.proxy.actions
            let stop = try #require(actions.firstIndex(of: "StopInstances"))
            let modify = try #require(actions.firstIndex(of: "ModifyInstanceAttribute"))
            let start = try #require(actions.firstIndex(of: "StartInstances"))
            #expect(stop < modify && modify < start, "order: \(actions)")
            // The waiter described the instance between stop and modify, and after start.
            #expect(actions[stop..<modify].contains("DescribeInstances"))
            #expect(actions[start...].contains("DescribeInstances"))
            #expect(fixture.mutatingCalls.filter { $0 == "ModifyInstanceAttribute" }.count == 1)

            let after = try await Self.describe(fixture, id)
            #expect(after.type == "t3.large" && after.state == "running")
            #expect(after.tags["CostCenter"] == "batch")
            #expect(after.tags[InstanceProvider.restartTag] == nil)
            // Adopted: no ownership tags.
            #expect(after.tags[Ownership.managedByKey] == nil)

            fixture.proxy.clearRecording()
            let second = try await fixture.cycle(environment, applied: plan.fingerprints)
            #expect(second.plan.changes.isEmpty, "\(PlanRenderer.text(second.plan))")
            #expect(fixture.mutatingCalls.isEmpty)
            // Two batched describes: the environment's ownership tags, and the adoption tag.
            #expect(fixture.proxy.actions.filter { $0 == "DescribeInstances" }.count == 2)
        }
    }

    @Test("a stopped instance is resized without being started")
    func resizeStopped() async throws {
        try await AWSProviderFixture.with { fixture in
            let id = try await Self.launch(fixture, tags: [:])
            try await fixture.moto.aws(["ec2", "stop-instances", "--instance-ids", id])
            let environment = fixture.environment(
                EnvironmentSpec(instances: ["worker": Self.instance("worker", type: "m5.large", adopt: .id(id))]))
            fixture.proxy.clearRecording()
            let result = try await fixture.cycle(environment)
            #expect(result.report.succeeded, "\(result.report.failureText ?? "")")
            #expect(fixture.mutatingCalls == ["ModifyInstanceAttribute"])
            let after = try await Self.describe(fixture, id)
            #expect(after.type == "m5.large" && after.state == "stopped")
        }
    }

    @Test("owned instances are found by their ownership tags; tag and type drift made with awscli is corrected")
    func ownedDrift() async throws {
        try await AWSProviderFixture.with { fixture in
            let name = fixture.environmentName
            let id = try await Self.launch(
                fixture,
                tags: [
                    Ownership.managedByKey: Ownership.managedByValue, Ownership.environmentKey: name,
                    Ownership.resourceKey: "instance/bastion", "Team": "ops",
                ])
            let environment = fixture.environment(
                EnvironmentSpec(instances: ["bastion": Self.instance("bastion", type: "t3.micro", tags: ["Team": "ops"], adopt: nil)]))
            let first = try await fixture.cycle(environment)
            #expect(first.plan.changes.isEmpty, "\(PlanRenderer.text(first.plan))")
            #expect(first.plan.unchanged == [ResourceID(.instance, "bastion")])

            try await fixture.moto.aws(["ec2", "create-tags", "--resources", id, "--tags", "Key=Team,Value=someone-else"])
            try await fixture.moto.aws(["ec2", "stop-instances", "--instance-ids", id])
            try await fixture.moto.aws(["ec2", "modify-instance-attribute", "--instance-id", id, "--instance-type", "Value=t3.xlarge"])
            try await fixture.moto.aws(["ec2", "start-instances", "--instance-ids", id])

            let drift = try await fixture.plan(environment, applied: first.plan.fingerprints)
            let change = try #require(drift.changes.first)
            #expect(change.reason == .drift && change.disruptive)
            #expect(Set(change.fields.map(\.path)) == ["tags", "type"])

            let healed = try await fixture.cycle(environment, applied: first.plan.fingerprints)
            #expect(healed.report.succeeded, "\(healed.report.failureText ?? "")")
            let after = try await Self.describe(fixture, id)
            #expect(after.type == "t3.micro" && after.state == "running" && after.tags["Team"] == "ops")
        }
    }

    @Test("an instance that is neither adopted nor tagged fails with an error that says what to do")
    func missing() async throws {
        try await AWSProviderFixture.with { fixture in
            let environment = fixture.environment(
                EnvironmentSpec(instances: ["ghost": Self.instance("ghost", type: "t3.micro", adopt: nil)]))
            let result = try await fixture.cycle(environment)
            let failure = try #require(result.report.failure)
            #expect(failure.resource == ResourceID(.instance, "ghost"))
            #expect("\(failure.error)".contains("does not launch instances"))
            #expect(ErrorDisposition.of(failure.error) == .stalled)
            #expect(fixture.mutatingCalls.isEmpty)
        }
    }
}
