import Foundation
import Logging
import ShipshapeAWS
import ShipshapeController
import ShipshapeTesting
import Testing

/// Two whole controllers on the same config repository and the same AWS account (moto behind the
/// recording proxy), sharing one DynamoDB lease: exactly one of them changes AWS; when it stops,
/// the other takes over and applies the next commit.
@Suite("Two controllers racing for the lease")
struct LeaderRaceTests {
    static let table = "shipshape-leases"
    /// AWS changes: every call that is not a read.
    static func isMutating(_ call: AWSFaultProxy.Call) -> Bool {
        !(call.action.hasPrefix("Describe") || call.action.hasPrefix("List") || call.action.hasPrefix("Get"))
    }

    static func manifest(env: String, vpc: String, ports: [Int]) -> String {
        let rules = ports.map { "        - { protocol: tcp, ports: \($0), cidr: 10.0.0.0/16, description: port \($0) }" }
        return """
            apiVersion: shipshape.io/v1
            kind: Environment
            metadata:
              name: \(env)
            spec:
              region: us-east-1
              securityGroups:
                api:
                  vpc: \(vpc)
                  description: api servers
                  ingress:
            \(rules.joined(separator: "\n"))

            """
    }

    @Test("exactly one controller applies AWS changes; the other takes over when the leader stops")
    func race() async throws {
        // Serialized: moto's DynamoDB conditional writes are not atomic under concurrent requests.
        try await AWSFaultProxy.withMoto(serialized: true) { moto, proxy in try await race(moto: moto, proxy: proxy) }
    }

    func race(moto: MotoServer, proxy: AWSFaultProxy) async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-lease-race")
        let setup = AWSClient(
            configuration: .init(region: "us-east-1", endpoint: moto.endpoint, environment: [:]),
            credentialProvider: StaticCredentialProvider(
                AWSCredentials(accessKeyID: MotoServer.dummyAccessKeyID, secretAccessKey: MotoServer.dummySecretAccessKey)),
            logger: Logger(label: "test.lease-race"))
        var running: [RunningController] = []
        func cleanUp() async {
            for controller in running { await controller.stop() }
            try? await setup.shutdown()
            directory.remove()
        }
        do {
            try await DynamoDBClient(client: setup).createTable(Self.table, hashKey: "name")
            let vpc = try #require(
                try await EC2Client(client: setup).describeVPCs(filters: [EC2Filter("is-default", ["true"])]).first?.vpcID)
            let env = "race\(UInt32.random(in: 0...UInt32.max))"
            let repo = try await GitWorkRepository.create(at: directory.appending("config"))
            try await repo.commit(
                "one rule", files: ["manifests/\(env).yaml": Self.manifest(env: env, vpc: vpc, ports: [8080])])

            // Each controller signs with its own access key, so the proxy tells their calls apart.
            let keys = ["AKIDRACECONTROLLERA", "AKIDRACECONTROLLERB"]
            var controllers: [Controller] = []
            for (index, key) in keys.enumerated() {
                var git = ControllerConfiguration.Git(url: repo.fileURL)
                git.pollInterval = .milliseconds(300)
                var configuration = ControllerConfiguration(git: git)
                configuration.environments = [env]
                configuration.stateDirectory = directory.appending("state-\(index)")
                configuration.listen = "127.0.0.1:0"
                configuration.aws.region = "us-east-1"
                configuration.aws.endpoint = proxy.endpoint.absoluteString
                var lease = ControllerConfiguration.Lease(table: Self.table)
                lease.name = env
                lease.duration = .seconds(6)
                configuration.lease = lease
                var logger = Logger(label: "lease-race-\(index)")
                logger.logLevel = .info
                controllers.append(
                    try await Controller(
                        configuration: configuration,
                        awsCredentials: StaticCredentialProvider(AWSCredentials(accessKeyID: key, secretAccessKey: "secret")),
                        logger: logger))
            }
            // Started together: both race for the free lease and both plan the same creation.
            running = try await withThrowingTaskGroup(of: (Int, RunningController).self) { group in
                for (index, controller) in controllers.enumerated() {
                    group.addTask { (index, try await RunningController.start(controller)) }
                }
                return try await group.reduce(into: [RunningController?](repeating: nil, count: controllers.count)) {
                    $0[$1.0] = $1.1
                }.compactMap { $0 }
            }

            let ec2 = EC2Client(client: setup)
            func ingressPorts() async throws -> Set<Int> {
                let groups = try await ec2.describeSecurityGroups(filters: [EC2Filter("vpc-id", [vpc])])
                    .filter { $0.groupName != "default" }
                let rules = try await ec2.describeSecurityGroupRules(groupIDs: groups.map(\.groupID))
                return Set(rules.filter { !$0.isEgress }.map(\.fromPort))
            }
            try await eventually("the security group exists with port 8080", timeout: .seconds(120)) {
                try await ingressPorts() == [8080]
            }
            // Both keep cycling for a while (several polls each) after the group exists.
            for controller in controllers {
                let done = await controller.status.snapshot().environments.first?.lastCycleAt
                try await eventually("another cycle of each controller", timeout: .seconds(120)) {
                    await controller.status.snapshot().environments.first?.lastCycleAt != done
                }
            }
            let writers = Set(proxy.calls.filter(Self.isMutating).filter { $0.service == "ec2" }.map(\.accessKeyID))
            #expect(writers.count == 1, "EC2 changes signed by \(writers.sorted())")
            let creations = proxy.calls.filter { $0.action == "CreateSecurityGroup" }
            #expect(creations.count == 1, "\(creations.count) CreateSecurityGroup calls")
            let groups = try await ec2.describeSecurityGroups(filters: [EC2Filter("vpc-id", [vpc])])
            #expect(groups.filter { $0.groupName != "default" }.count == 1)
            let leaderKey = try #require(writers.first)
            let leader = try #require(keys.firstIndex(of: leaderKey))
            let follower = 1 - leader
            // Both read the live state every cycle.
            #expect(proxy.calls.contains { $0.service == "ec2" && $0.accessKeyID == keys[follower] })

            // The leader stops (releasing the lease); the follower takes over and applies the next commit.
            await running[leader].stop()
            proxy.clearRecording()
            try await repo.commit(
                "second rule", files: ["manifests/\(env).yaml": Self.manifest(env: env, vpc: vpc, ports: [8080, 8443])])
            try await eventually("the follower applies port 8443", timeout: .seconds(120)) {
                try await ingressPorts() == [8080, 8443]
            }
            // moto may answer the test's read before the proxy has recorded the call that made the change.
            try await eventually("the proxy recorded the change") {
                proxy.calls.contains { Self.isMutating($0) && $0.service == "ec2" }
            }
            let newWriters = Set(proxy.calls.filter(Self.isMutating).filter { $0.service == "ec2" }.map(\.accessKeyID))
            #expect(newWriters == [keys[follower]], "EC2 changes after the takeover signed by \(newWriters.sorted())")
            let holder = try await DynamoDBClient(client: setup).getItem(table: Self.table, key: ["name": .string(env)])
            #expect((holder?["generation"]?.intValue ?? 0) >= 2, "a takeover bumps the fencing generation")
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }
}
