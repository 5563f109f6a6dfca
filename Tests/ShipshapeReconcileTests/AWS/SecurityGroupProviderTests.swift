import Foundation
import Logging
import ShipshapeAWS
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

@Suite("Security groups against moto", .timeLimit(.minutes(5)))
struct SecurityGroupProviderTests {
    /// `web` (IPv4, IPv6, SSH) and `db` (from `web` by group reference, explicit egress). The group
    /// reference has no description: moto's DescribeSecurityGroupRules drops the description of
    /// group-reference rules that AuthorizeSecurityGroupIngress set (AWS keeps it), which would read
    /// as drift here; descriptions are exercised on CIDR rules.
    static func spec(vpc: String, webIngress: [ShipshapeManifest.SecurityGroupRule]? = nil) -> EnvironmentSpec {
        let web = ShipshapeManifest.SecurityGroup(
            name: "web", vpc: vpc, description: "web servers",
            ingress: webIngress ?? [
                .init(protocol: .tcp, ports: 443...443, peer: .cidr("0.0.0.0/0"), description: "https"),
                .init(protocol: .tcp, ports: 443...443, peer: .cidrIPv6("2001:db8::/32"), description: "https v6"),
                .init(protocol: .tcp, ports: 22...22, peer: .cidr("10.20.0.0/16"), description: "ssh from the VPN"),
            ],
            tags: ["CostCenter": "web"])
        let db = ShipshapeManifest.SecurityGroup(
            name: "db", vpc: vpc, description: "database",
            ingress: [.init(protocol: .tcp, ports: 5432...5432, peer: .group("web"))],
            egress: [.init(protocol: .tcp, ports: 8000...8100, peer: .cidr("10.0.0.0/8"))])
        return EnvironmentSpec(securityGroups: ["web": web, "db": db])
    }

    /// The rules of group `id` as `PROTO FROM-TO PEER DESCRIPTION` lines, via awscli.
    static func rules(_ fixture: AWSProviderFixture, group id: String, egress: Bool = false) async throws -> [String] {
        let json = try await fixture.pythonJSON(
            """
            import boto3, json
            rules = boto3.client("ec2").describe_security_group_rules(Filters=[{"Name": "group-id", "Values": ["\(id)"]}])["SecurityGroupRules"]
            print(json.dumps([f'{r["IpProtocol"]} {r.get("FromPort")}-{r.get("ToPort")} {r.get("CidrIpv4") or r.get("CidrIpv6") or r.get("ReferencedGroupInfo", {}).get("GroupId")} {r.get("Description", "")}'.strip()
                for r in rules if r["IsEgress"] == \(egress ? "True" : "False")]))
            """)
        return ((json as? [String]) ?? []).sorted()
    }

    static func groupID(_ plan: Plan, _ name: String, live: [ResourceID: LiveResource]) -> String? {
        live[ResourceID(.securityGroup, name)]?.externalID
    }

    @Test("creates owned groups with rules, group references and tags; a second cycle makes no mutating call")
    func createAndIdempotence() async throws {
        try await AWSProviderFixture.with { fixture in
            let vpc = try await fixture.defaultVPC()
            let environment = fixture.environment(Self.spec(vpc: vpc))
            let first = try await fixture.cycle(environment)
            #expect(first.report.succeeded, "\(first.report.failureText ?? "")")
            #expect(first.plan.changes.map(\.action) == [.create, .create])
            // web is created before db, which refers to it.
            #expect(first.plan.changes.map(\.resource.name) == ["web", "db"])
            #expect(!fixture.proxy.actions.contains("DeleteSecurityGroup"))

            let live = try await fixture.reconciler.observe(Scope(environment: environment.name, region: AWSProviderFixture.region))
            let web = try #require(live[ResourceID(.securityGroup, "web")])
            let db = try #require(live[ResourceID(.securityGroup, "db")])
            #expect(web.owned && db.owned)
            let webID = try #require(web.externalID)
            let dbID = try #require(db.externalID)
            #expect(try await Self.rules(fixture, group: webID) == [
                "tcp 22-22 10.20.0.0/16 ssh from the VPN", "tcp 443-443 0.0.0.0/0 https", "tcp 443-443 2001:db8::/32 https v6",
            ])
            #expect(try await Self.rules(fixture, group: dbID) == ["tcp 5432-5432 \(webID)"])
            #expect(try await Self.rules(fixture, group: dbID, egress: true) == ["tcp 8000-8100 10.0.0.0/8"])
            #expect(web.attributes["tags"] == .map([
                "CostCenter": .string("web"), Ownership.managedByKey: .string(Ownership.managedByValue),
                Ownership.environmentKey: .string(environment.name), Ownership.resourceKey: .string("security-group/web"),
            ]))

            fixture.proxy.clearRecording()
            let second = try await fixture.cycle(environment, applied: first.plan.fingerprints)
            #expect(second.plan.changes.isEmpty, "\(PlanRenderer.text(second.plan))")
            #expect(second.report.succeeded)
            #expect(fixture.mutatingCalls.isEmpty, "mutating calls in a no-op cycle: \(fixture.mutatingCalls)")
            // One batched describe for the groups, one for all their rules; the kinds the environment does
            // not use make no call.
            #expect(fixture.proxy.actions.sorted() == ["DescribeSecurityGroupRules", "DescribeSecurityGroups"])
        }
    }

    @Test("drift made with awscli is detected (reported only without self-heal) and corrected rule by rule")
    func drift() async throws {
        try await AWSProviderFixture.with { fixture in
            let vpc = try await fixture.defaultVPC()
            let environment = fixture.environment(Self.spec(vpc: vpc))
            let first = try await fixture.cycle(environment)
            #expect(first.report.succeeded, "\(first.report.failureText ?? "")")
            let live = try await fixture.reconciler.observe(Scope(environment: environment.name, region: AWSProviderFixture.region))
            let webID = try #require(live[ResourceID(.securityGroup, "web")]?.externalID)

            // Behind the controller's back: drop https, add a rogue rule, reword the SSH description.
            try await fixture.moto.python(
                """
                import boto3
                ec2 = boto3.client("ec2")
                rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": ["\(webID)"]}])["SecurityGroupRules"]
                https = [r["SecurityGroupRuleId"] for r in rules if r.get("CidrIpv4") == "0.0.0.0/0" and r["FromPort"] == 443 and not r["IsEgress"]]
                ec2.revoke_security_group_ingress(GroupId="\(webID)", SecurityGroupRuleIds=https)
                ec2.authorize_security_group_ingress(GroupId="\(webID)", IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
                ssh = [r for r in rules if r["FromPort"] == 22][0]
                ec2.modify_security_group_rules(GroupId="\(webID)", SecurityGroupRules=[{"SecurityGroupRuleId": ssh["SecurityGroupRuleId"],
                    "SecurityGroupRule": {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "10.20.0.0/16", "Description": "edited by hand"}}])
                """)

            let reported = try await fixture.plan(environment, applied: first.plan.fingerprints, selfHeal: false)
            #expect(reported.changes.isEmpty)
            let drift = try #require(reported.detectedDrift.first)
            #expect(drift.resource == ResourceID(.securityGroup, "web") && drift.reason == .drift)
            let ingress = try #require(drift.fields.first { $0.path == "ingress" })
            #expect(ingress.before?.description.contains("tcp/8080 0.0.0.0/0") == true)
            #expect(ingress.after?.description.contains("tcp/443 0.0.0.0/0") == true)
            #expect(ingress.before?.description.contains("edited by hand") == true)

            fixture.proxy.clearRecording()
            let healed = try await fixture.cycle(environment, applied: first.plan.fingerprints)
            #expect(healed.report.succeeded, "\(healed.report.failureText ?? "")")
            #expect(healed.plan.changes.map(\.reason) == [.drift])
            #expect(fixture.mutatingCalls.sorted() == [
                "AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules", "RevokeSecurityGroupIngress",
            ])
            #expect(try await Self.rules(fixture, group: webID) == [
                "tcp 22-22 10.20.0.0/16 ssh from the VPN", "tcp 443-443 0.0.0.0/0 https", "tcp 443-443 2001:db8::/32 https v6",
            ])
            fixture.proxy.clearRecording()
            let after = try await fixture.cycle(environment, applied: first.plan.fingerprints)
            #expect(after.plan.changes.isEmpty && fixture.mutatingCalls.isEmpty)
        }
    }

    @Test("an existing group is adopted by id: rules converge, nothing is created, no ownership tags")
    func adoptByID() async throws {
        try await AWSProviderFixture.with { fixture in
            let vpc = try await fixture.defaultVPC()
            let groupID = try await fixture.moto.python(
                """
                import boto3
                ec2 = boto3.client("ec2")
                g = ec2.create_security_group(GroupName="made-by-hand", Description="legacy", VpcId="\(vpc)")["GroupId"]
                ec2.authorize_security_group_ingress(GroupId=g, IpPermissions=[
                    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
                    {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}])
                print(g)
                """
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            let legacy = ShipshapeManifest.SecurityGroup(
                name: "legacy", vpc: vpc, description: "legacy",
                ingress: [
                    .init(protocol: .tcp, ports: 80...80, peer: .cidr("0.0.0.0/0")),
                    .init(protocol: .icmp, ports: nil, peer: .cidr("10.0.0.0/8"), description: "ping"),
                ],
                tags: ["Team": "ops"], adopt: .id(groupID))
            let environment = fixture.environment(EnvironmentSpec(securityGroups: ["legacy": legacy]))
            let first = try await fixture.cycle(environment)
            #expect(first.report.succeeded, "\(first.report.failureText ?? "")")
            #expect(first.plan.changes.map(\.action) == [.update])
            #expect(!fixture.proxy.actions.contains("CreateSecurityGroup"))
            #expect(try await Self.rules(fixture, group: groupID) == ["icmp -1--1 10.0.0.0/8 ping", "tcp 80-80 0.0.0.0/0"])
            let live = try await fixture.reconciler.observe(Scope(environment: environment.name, region: AWSProviderFixture.region))
            let adopted = try #require(live[ResourceID(.securityGroup, "legacy")])
            #expect(!adopted.owned)
            #expect(adopted.attributes["tags"] == .map(["Team": .string("ops")]))

            fixture.proxy.clearRecording()
            let second = try await fixture.cycle(environment, applied: first.plan.fingerprints)
            #expect(second.plan.changes.isEmpty && fixture.mutatingCalls.isEmpty)
        }
    }

    @Test("removing a rule on a protected port (SSH) is flagged disruptive with a field naming the port")
    func protectedPort() async throws {
        try await AWSProviderFixture.with { fixture in
            let vpc = try await fixture.defaultVPC()
            let first = try await fixture.cycle(fixture.environment(Self.spec(vpc: vpc)))
            #expect(first.report.succeeded, "\(first.report.failureText ?? "")")
            let withoutSSH = fixture.environment(
                Self.spec(vpc: vpc, webIngress: [.init(protocol: .tcp, ports: 443...443, peer: .cidr("0.0.0.0/0"), description: "https")]))
            let plan = try await fixture.plan(withoutSSH, applied: first.plan.fingerprints)
            let change = try #require(plan.changes.first { $0.resource == ResourceID(.securityGroup, "web") })
            #expect(change.disruptive)
            let field = try #require(change.fields.first { $0.path == SecurityGroupProvider.protectedField })
            #expect(field.effect == .disruptive)
            #expect(field.before?.description.contains("tcp/22 10.20.0.0/16 (keeps the controller's port 22 reachable)") == true)
            #expect(field.after == .list([]))
            #expect(PlanRenderer.text(plan).contains("ingress.protected-ports"))
            // The other group is untouched.
            #expect(plan.changes.filter { $0.resource.name == "db" }.isEmpty)
        }
    }

    @Test("a rule added behind the controller's back after observing counts as done (InvalidPermission.Duplicate)")
    func duplicateRule() async throws {
        try await AWSProviderFixture.with { fixture in
            let vpc = try await fixture.defaultVPC()
            let environment = fixture.environment(Self.spec(vpc: vpc))
            let first = try await fixture.cycle(environment)
            #expect(first.report.succeeded, "\(first.report.failureText ?? "")")
            let live = try await fixture.reconciler.observe(Scope(environment: environment.name, region: AWSProviderFixture.region))
            let webID = try #require(live[ResourceID(.securityGroup, "web")]?.externalID)
            let wider = fixture.environment(
                Self.spec(vpc: vpc, webIngress: [
                    .init(protocol: .tcp, ports: 443...443, peer: .cidr("0.0.0.0/0"), description: "https"),
                    .init(protocol: .tcp, ports: 443...443, peer: .cidrIPv6("2001:db8::/32"), description: "https v6"),
                    .init(protocol: .tcp, ports: 22...22, peer: .cidr("10.20.0.0/16"), description: "ssh from the VPN"),
                    .init(protocol: .tcp, ports: 9000...9000, peer: .cidr("10.1.0.0/16"), description: "metrics"),
                    .init(protocol: .udp, ports: 500...500, peer: .cidr("10.1.0.0/16"), description: "ike"),
                ]))
            let plan = try await fixture.plan(wider, applied: first.plan.fingerprints)
            // Someone adds one of the two new rules between plan and apply.
            try await fixture.moto.aws([
                "ec2", "authorize-security-group-ingress", "--group-id", webID, "--ip-permissions",
                "IpProtocol=tcp,FromPort=9000,ToPort=9000,IpRanges=[{CidrIp=10.1.0.0/16,Description=metrics}]",
            ])
            fixture.proxy.clearRecording()
            let report = await fixture.reconciler.apply(plan, logger: .init(label: "test"))
            #expect(report.succeeded, "\(report.failureText ?? "")")
            #expect(fixture.proxy.calls.contains { $0.action == "AuthorizeSecurityGroupIngress" && $0.status >= 400 })
            #expect(try await Self.rules(fixture, group: webID).contains("udp 500-500 10.1.0.0/16 ike"))
            #expect(try await Self.rules(fixture, group: webID).contains("tcp 9000-9000 10.1.0.0/16 metrics"))
        }
    }

    @Test("throttling injected by the fault proxy is retried and the change goes through")
    func throttling() async throws {
        try await AWSProviderFixture.with { fixture in
            let vpc = try await fixture.defaultVPC()
            fixture.proxy.inject(.throttle(.ec2), times: 2, action: "DescribeSecurityGroups")
            fixture.proxy.inject(.throttle(.ec2), times: 1, action: "AuthorizeSecurityGroupIngress")
            let first = try await fixture.cycle(fixture.environment(Self.spec(vpc: vpc)))
            #expect(first.report.succeeded, "\(first.report.failureText ?? "")")
            #expect(fixture.proxy.calls.filter { $0.fault == "throttle" }.count == 3)
        }
    }

    @Test("adopting a group id that does not exist fails with an error naming it")
    func missingAdoptedGroup() async throws {
        try await AWSProviderFixture.with { fixture in
            let vpc = try await fixture.defaultVPC()
            let ghost = ShipshapeManifest.SecurityGroup(name: "ghost", vpc: vpc, description: "x", adopt: .id("sg-0123456789abcdef0"))
            let result = try await fixture.cycle(fixture.environment(EnvironmentSpec(securityGroups: ["ghost": ghost])))
            #expect(result.plan.changes.map(\.action) == [.create])
            let failure = try #require(result.report.failure)
            #expect("\(failure.error)".contains("sg-0123456789abcdef0"))
            #expect(ErrorDisposition.of(failure.error) == .stalled)
            #expect(!fixture.proxy.actions.contains("CreateSecurityGroup"))
        }
    }
}
