import Foundation
import ShipshapeAWS
import ShipshapeTesting
import Testing

@Suite("EC2 against moto")
struct EC2Tests {
    @Test("security groups: create, authorize (IPv4, IPv6, group, egress), describe rules, modify description, revoke, typed errors")
    func securityGroups() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let ec2 = EC2Client(client: fixture.client)
            let vpc = try #require(try await ec2.describeVPCs(filters: [EC2Filter("is-default", ["true"])]).first)
            let suffix = UInt32.random(in: 0...UInt32.max)
            let web = try await ec2.createSecurityGroup(
                name: "web-\(suffix)", description: "web tier", vpcID: vpc.vpcID, tags: ["shipshape:owned": "true"])
            let lb = try await ec2.createSecurityGroup(name: "lb-\(suffix)", description: "lb", vpcID: vpc.vpcID)
            let groups = try await ec2.describeSecurityGroups(groupIDs: [web])
            #expect(groups.first?.groupName == "web-\(suffix)")
            #expect(groups.first?.description == "web tier")
            #expect(groups.first?.tags["shipshape:owned"] == "true")
            #expect(groups.first?.vpcID == vpc.vpcID)

            let created = try await ec2.authorizeIngress(
                groupID: web,
                rules: [
                    .tcp(22, .ipv4("10.0.0.0/8"), description: "ssh"),
                    .tcp(443, .ipv6("2001:db8::/32")),
                    .tcp(8080, .group(lb), description: "from lb"),
                ])
            // Real EC2 returns every rule created; moto 5.2.1 returns only the last permission's rules.
            #expect(!created.isEmpty && created.allSatisfy { $0.ruleID.hasPrefix("sgr-") && $0.groupID == web })
            try await ec2.authorizeEgress(
                groupID: web, rules: [SecurityGroupRuleSpec(ipProtocol: "udp", fromPort: 53, toPort: 53, peer: .ipv4("10.0.0.2/32"))])

            let rules = try await ec2.describeSecurityGroupRules(groupIDs: [web])
            let ingress = rules.filter { !$0.isEgress }
            #expect(ingress.count == 3)
            let ssh = try #require(ingress.first { $0.fromPort == 22 })
            #expect(ssh.ruleID.hasPrefix("sgr-"))
            #expect(ssh.peer == .ipv4("10.0.0.0/8"))
            #expect(ssh.description == "ssh")
            #expect(ingress.contains { $0.peer == .ipv6("2001:db8::/32") && $0.fromPort == 443 })
            #expect(ingress.contains { $0.peer == .group(lb) && $0.fromPort == 8080 })
            #expect(rules.contains { $0.isEgress && $0.ipProtocol == "udp" && $0.peer == .ipv4("10.0.0.2/32") })

            // Duplicate rule: typed error, no retry.
            let duplicate = await #expect(throws: AWSError.self) {
                try await ec2.authorizeIngress(groupID: web, rules: [.tcp(22, .ipv4("10.0.0.0/8"))])
            }
            #expect(duplicate?.is(.duplicatePermission) == true)
            #expect(duplicate?.attempts == 1)

            // Description in place: the rule keeps its id.
            var changed = ssh.spec
            changed.description = "ssh from office"
            try await ec2.modifySecurityGroupRules(groupID: web, rules: [(ssh.ruleID, changed)])
            let afterModify = try await ec2.describeSecurityGroupRules(groupIDs: [web])
            #expect(afterModify.first { $0.ruleID == ssh.ruleID }?.description == "ssh from office")

            // Revoke one rule by id; the others stay.
            try await ec2.revokeIngress(groupID: web, ruleIDs: [ssh.ruleID])
            let afterRevoke = try await ec2.describeSecurityGroupRules(groupIDs: [web]).filter { !$0.isEgress }
            #expect(afterRevoke.count == 2)
            #expect(!afterRevoke.contains { $0.ruleID == ssh.ruleID })
            let egressRule = try #require(afterModify.first { $0.isEgress && $0.ipProtocol == "udp" })
            try await ec2.revokeEgress(groupID: web, ruleIDs: [egressRule.ruleID])

            let missing = await #expect(throws: AWSError.self) {
                try await ec2.revokeIngress(groupID: web, ruleIDs: [ssh.ruleID])
            }
            #expect(missing?.classification == .client)
            let noGroup = await #expect(throws: AWSError.self) {
                try await ec2.describeSecurityGroups(groupIDs: ["sg-0000000000000dead"])
            }
            #expect(noGroup?.is(.securityGroupNotFound) == true)

            // Drift behind the controller's back is visible on the next describe.
            try await fixture.moto.aws([
                "ec2", "authorize-security-group-ingress", "--group-id", web, "--protocol", "tcp", "--port", "3306",
                "--cidr", "0.0.0.0/0",
            ])
            #expect(try await ec2.describeSecurityGroupRules(groupIDs: [web]).contains { $0.fromPort == 3306 })

            let proxy = try #require(fixture.proxy)
            #expect(
                proxy.calls(in: AWSAction.mutatingNames).map(\.action) == [
                    "CreateSecurityGroup", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress",
                    "AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "ModifySecurityGroupRules",
                    "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "RevokeSecurityGroupIngress",
                ])
        }
    }

    @Test("DescribeInstances pages by reservation: 120 reservations, 50 per page → 3 calls")
    func pagination() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            try await fixture.moto.python(
                """
                import boto3
                ec2 = boto3.client("ec2")
                for i in range(120):
                    ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "fleet", "Value": "big"}, {"Key": "n", "Value": str(i)}]}])
                ec2.run_instances(ImageId="ami-12c6146b", MinCount=7, MaxCount=7, InstanceType="t3.small",
                    TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "fleet", "Value": "multi"}]}])
                """)
            let proxy = try #require(fixture.proxy)
            proxy.clearRecording()
            let ec2 = EC2Client(client: fixture.client, pageSize: 50)
            let big = try await ec2.describeInstances(filters: [.tag("fleet", "big")])
            #expect(big.count == 120)
            #expect(Set(big.map(\.instanceID)).count == 120)
            #expect(Set(big.map { $0.tags["n"] ?? "" }).count == 120)
            #expect(proxy.actions == ["DescribeInstances", "DescribeInstances", "DescribeInstances"])

            // Seven instances in one reservation come in one page of 5 reservations.
            proxy.clearRecording()
            let multi = try await EC2Client(client: fixture.client, pageSize: 5).describeInstances(filters: [.tag("fleet", "multi")])
            #expect(multi.count == 7)
            #expect(Set(multi.map(\.reservationID)).count == 1)
            #expect(proxy.actions == ["DescribeInstances"])
        }
    }

    @Test("instance type change: stop, wait, modify, start, wait — in that order; tags converge")
    func resize() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let output = try await fixture.moto.aws([
                "ec2", "run-instances", "--image-id", "ami-12c6146b", "--instance-type", "t3.micro", "--count", "1",
            ])
            let instances = try #require(try jsonObject(output)["Instances"] as? [[String: Any]])
            let id = try #require(instances.first?["InstanceId"] as? String)
            let ec2 = EC2Client(client: fixture.client)
            let proxy = try #require(fixture.proxy)
            proxy.clearRecording()

            let stopped = try await ec2.stopInstances([id])
            #expect(stopped.first?.instanceID == id)
            try await ec2.waitUntil([id], are: .stopped, timeout: .seconds(120), pollInterval: .milliseconds(100))
            try await ec2.modifyInstanceType(id, to: "t3.large")
            try await ec2.startInstances([id])
            let running = try await ec2.waitUntil([id], are: .running, timeout: .seconds(120), pollInterval: .milliseconds(100))
            #expect(running.first?.instanceType == "t3.large")
            #expect(
                proxy.calls(in: AWSAction.mutatingNames).map(\.action) == [
                    "StopInstances", "ModifyInstanceAttribute", "StartInstances",
                ])
            let order = proxy.actions
            let modify = try #require(order.firstIndex(of: "ModifyInstanceAttribute"))
            #expect(order[..<modify].contains("DescribeInstances"), "the waiter must confirm 'stopped' before the modify")

            // A waiter that cannot be satisfied times out with a typed error naming the instance.
            let timeout = await #expect(throws: AWSError.self) {
                try await ec2.waitUntil([id], are: .stopped, timeout: .milliseconds(300), pollInterval: .milliseconds(100))
            }
            #expect(timeout?.is(.waiterTimeout) == true)
            #expect(timeout?.message.contains(id) == true)

            try await ec2.createTags(resourceIDs: [id], tags: ["Name": "web-1", "env": "prod"])
            try await ec2.deleteTags(resourceIDs: [id], keys: ["env"])
            let tagged = try await ec2.describeInstances(instanceIDs: [id])
            #expect(tagged.first?.tags == ["Name": "web-1"])
            let byTag = try await ec2.describeInstances(filters: [.tag("Name", "web-1")])
            #expect(byTag.map(\.instanceID) == [id])
        }
    }
}
