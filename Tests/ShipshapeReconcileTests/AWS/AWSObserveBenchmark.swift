import Foundation
import Logging
import ShipshapeAWS
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

/// Benchmark, not a timed test: a no-op observe (and plan) through the AWS providers of an environment
/// with 500 security-group rules in 20 groups, 200 instances, 20 RDS instances and 20 ECS services in
/// moto. Prints the wall time and the API calls per kind, and checks that the plan is empty and that
/// the number of calls does not grow with the number of resources.
/// Opt in: `SHIPSHAPE_AWS_BENCHMARK=1 swift test --filter AWSObserveBenchmark`.
@Suite("AWS providers observe benchmark", .enabled(if: ProcessInfo.processInfo.environment["SHIPSHAPE_AWS_BENCHMARK"] == "1"))
struct AWSObserveBenchmark {
    @Test("no-op observe: 500 SG rules / 20 groups, 200 instances, 20 RDS, 20 ECS services")
    func observe() async throws {
        try await AWSProviderFixture.with(motoEnvironment: ["MOTO_ECS_SERVICE_RUNNING": "1"]) { fixture in
            let env = fixture.environmentName
            let vpc = try await fixture.defaultVPC()
            let registry = AWSProviderFixture.registry
            try await fixture.moto.python(
                """
                import boto3, json
                ec2 = boto3.client("ec2")
                def owned(kind, name):
                    return [{"Key": "shipshape.io/managed-by", "Value": "shipshape"}, {"Key": "shipshape.io/environment", "Value": "\(env)"},
                            {"Key": "shipshape.io/resource", "Value": f"{kind}/{name}"}]
                for g in range(20):
                    sg = ec2.create_security_group(GroupName=f"\(env)-g{g}", Description="bench", VpcId="\(vpc)",
                        TagSpecifications=[{"ResourceType": "security-group", "Tags": owned("security-group", f"g{g}")}])["GroupId"]
                    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
                        {"IpProtocol": "tcp", "FromPort": 1000 + r, "ToPort": 1000 + r, "IpRanges": [{"CidrIp": f"10.{g}.{r}.0/24", "Description": f"r{r}"}]}
                        for r in range(25)])
                for i in range(200):
                    ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                        TagSpecifications=[{"ResourceType": "instance", "Tags": owned("instance", f"i{i}")}])
                rds = boto3.client("rds")
                for d in range(20):
                    rds.create_db_instance(DBInstanceIdentifier=f"db-{d}", DBInstanceClass="db.t3.micro", Engine="postgres",
                        AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="not-a-real-password")
                ecs = boto3.client("ecs")
                ecs.create_cluster(clusterName="bench")
                ecs.register_task_definition(family="app", containerDefinitions=[{"name": "app", "image": "\(registry)/app:1.0", "memory": 64}])
                for s in range(20):
                    ecs.create_service(cluster="bench", serviceName=f"svc-{s}", taskDefinition="app:1", desiredCount=1)
                ecr = boto3.client("ecr")
                ecr.create_repository(repositoryName="app")
                manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1, "digest": "sha256:" + "1" * 64}, "layers": []}
                ecr.put_image(repositoryName="app", imageManifest=json.dumps(manifest), imageTag="1.0")
                """)

            var spec = EnvironmentSpec()
            for g in 0..<20 {
                spec.securityGroups["g\(g)"] = ShipshapeManifest.SecurityGroup(
                    name: "g\(g)", vpc: vpc, description: "bench",
                    ingress: (0..<25).map { r in
                        .init(protocol: .tcp, ports: (1000 + r)...(1000 + r), peer: .cidr("10.\(g).\(r).0/24"), description: "r\(r)")
                    })
            }
            for i in 0..<200 {
                spec.instances["i\(i)"] = Instance(name: "i\(i)", type: "t3.micro", ami: "ami-12c6146b", subnet: "subnet-12345678")
            }
            for d in 0..<20 {
                spec.databases["db-\(d)"] = Database(name: "db-\(d)", instanceClass: "db.t3.micro", engine: .postgres)
            }
            for s in 0..<20 {
                var service = Service(
                    name: "svc-\(s)", runtime: .ecs, image: ImageReference(registry: registry, repository: "app", tag: "1.0"), replicas: 1)
                service.ecs = ECSPlacement(cluster: "bench")
                spec.services["svc-\(s)"] = service
            }
            let environment = fixture.environment(spec)
            let scope = Scope(environment: environment.name, region: AWSProviderFixture.region)
            let desired = try fixture.reconciler.desiredResources(for: environment)
            let expectedCount = 261  // 20 groups, 200 instances, 20 databases, 1 image, 20 services
            #expect(desired.count == expectedCount)

            // Warm-up (first observe reads the task definition once), then three measured rounds.
            let warm = try await fixture.plan(environment)
            #expect(warm.changes.isEmpty, "\(PlanRenderer.text(warm))")
            var report: [String] = []
            for round in 1...3 {
                var line = "round \(round):"
                for provider in fixture.reconciler.providers {
                    fixture.proxy.clearRecording()
                    let start = ContinuousClock.now
                    let live = try await provider.observe(scope)
                    let elapsed = ContinuousClock.now - start
                    let calls = fixture.proxy.actions
                    line += " \(provider.name)=\(live.count) resources/\(calls.count) calls/\(elapsed.formatted(.units(allowed: [.milliseconds])))"
                    #expect(calls.count <= 3, "\(provider.name): \(calls)")
                }
                // The same two security-group calls made with the bare client, to tell the provider's own
                // work from moto's and the proxy's.
                let ec2 = EC2Client(client: fixture.client)
                let rawStart = ContinuousClock.now
                let groups = try await ec2.describeSecurityGroups(filters: [.tag(Ownership.environmentKey, env)])
                let rules = try await ec2.describeSecurityGroupRules(groupIDs: groups.map(\.groupID))
                let raw = ContinuousClock.now - rawStart
                #expect(rules.count >= 500)
                line += " | bare client SG calls (\(groups.count) groups, \(rules.count) rules): \(raw.formatted(.units(allowed: [.milliseconds])))"
                fixture.proxy.clearRecording()
                let start = ContinuousClock.now
                let plan = try await fixture.plan(environment)
                let elapsed = ContinuousClock.now - start
                #expect(plan.changes.isEmpty)
                line += " | whole plan: \(fixture.proxy.actions.count) calls, \(elapsed.formatted(.units(allowed: [.milliseconds]))) "
                line += "(\(Dictionary(grouping: fixture.proxy.actions, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")))"
                report.append(line)
            }
            let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
            print("AWS observe benchmark (moto on loopback, through the recording proxy; load average \(load)):\n" + report.joined(separator: "\n"))
        }
    }
}
