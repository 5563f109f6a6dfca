import Foundation
import ShipshapeAWS
import ShipshapeTesting
import Testing

/// Benchmark, not a timed test: a batched no-op observe of an environment with 500 security-group
/// rules (in 25 groups), 200 instances, 20 RDS instances and 20 ECS services in moto. It prints
/// the number of API calls and the wall time, and checks the call count (one paginated describe
/// per kind). Opt in with `SHIPSHAPE_AWS_BENCHMARK=1 swift test --filter ObserveBenchmark`.
@Suite("observe benchmark", .enabled(if: ProcessInfo.processInfo.environment["SHIPSHAPE_AWS_BENCHMARK"] == "1"))
struct ObserveBenchmark {
    @Test("observe 500 SG rules, 200 instances, 20 RDS, 20 ECS services")
    func observe() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let seedStart = ContinuousClock.now
            try await fixture.moto.python(
                """
                import boto3
                ec2 = boto3.client("ec2")
                vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
                for g in range(25):
                    sg = ec2.create_security_group(GroupName=f"bench-{g}", Description="bench", VpcId=vpc,
                        TagSpecifications=[{"ResourceType": "security-group", "Tags": [{"Key": "env", "Value": "bench"}]}])["GroupId"]
                    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
                        {"IpProtocol": "tcp", "FromPort": 1000 + r, "ToPort": 1000 + r, "IpRanges": [{"CidrIp": f"10.{g}.{r}.0/24", "Description": f"r{r}"}]}
                        for r in range(20)])
                for i in range(40):
                    ec2.run_instances(ImageId="ami-12c6146b", MinCount=5, MaxCount=5, InstanceType="t3.micro",
                        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "env", "Value": "bench"}]}])
                rds = boto3.client("rds")
                for d in range(20):
                    rds.create_db_instance(DBInstanceIdentifier=f"db-{d}", DBInstanceClass="db.t3.micro", Engine="postgres",
                        AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="not-a-real-password")
                ecs = boto3.client("ecs")
                ecs.create_cluster(clusterName="bench")
                ecs.register_task_definition(family="app", containerDefinitions=[{"name": "app", "image": "app:1", "memory": 64}])
                for s in range(20):
                    ecs.create_service(cluster="bench", serviceName=f"svc-{s}", taskDefinition="app:1", desiredCount=1)
                """)
            let seeded = ContinuousClock.now - seedStart
            let proxy = try #require(fixture.proxy)
            proxy.clearRecording()

            let ec2 = EC2Client(client: fixture.client)
            let ecs = ECSClient(client: fixture.client)
            var timings: [Duration] = []
            var counts: (groups: Int, rules: Int, instances: Int, databases: Int, services: Int) = (0, 0, 0, 0, 0)
            for _ in 0..<3 {
                proxy.clearRecording()
                let start = ContinuousClock.now
                async let groups = ec2.describeSecurityGroups(filters: [.tag("env", "bench")])
                async let instances = ec2.describeInstances(filters: [.tag("env", "bench")])
                async let databases = RDSClient(client: fixture.client).describeDBInstances()
                async let services = { () async throws -> [ECSService] in
                    let arns = try await ecs.listServices(cluster: "bench")
                    return try await ecs.describeServices(cluster: "bench", services: arns).services
                }()
                let groupIDs = try await groups.map(\.groupID)
                let rules = try await ec2.describeSecurityGroupRules(groupIDs: groupIDs)
                counts = (
                    groupIDs.count, rules.filter { !$0.isEgress }.count, try await instances.count, try await databases.count,
                    try await services.count
                )
                timings.append(ContinuousClock.now - start)
            }
            let calls = proxy.actions
            print(
                """
                AWS observe benchmark (moto 5.2.1 on loopback through the recording proxy; seeding took \(seeded)):
                  \(counts.groups) security groups, \(counts.rules) ingress rules, \(counts.instances) instances, \(counts.databases) RDS instances, \(counts.services) ECS services
                  API calls per observe: \(calls.count) (\(Dictionary(grouping: calls, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")))
                  wall time per observe (3 runs): \(timings.map { "\($0)" }.joined(separator: ", "))
                """)
            #expect(counts.groups == 25 && counts.rules == 500 && counts.instances == 200)
            #expect(counts.databases == 20 && counts.services == 20)
            // One paginated describe per kind: SGs, SG rules, instances, RDS, ListServices, 2× DescribeServices (10 per call).
            #expect(calls.count == 7)
            #expect(calls.filter { AWSAction.mutatingNames.contains($0) }.isEmpty)
        }
    }
}
