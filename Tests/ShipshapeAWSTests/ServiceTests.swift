import Foundation
import ShipshapeAWS
import ShipshapeTesting
import Testing

@Suite("ECR, ECS, RDS, ELBv2, DynamoDB, SSM, Secrets Manager, STS against moto")
struct ServiceTests {
    @Test("ECR: images found by tag and digest, missing tag typed, authorization token and its cache")
    func ecr() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let digest = try await fixture.moto.python(
                """
                import boto3, json
                ecr = boto3.client("ecr")
                ecr.create_repository(repositoryName="community-api")
                manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": "sha256:" + "a" * 64},
                    "layers": []})
                r = ecr.put_image(repositoryName="community-api", imageManifest=manifest, imageTag="1.0.0")
                print(r["image"]["imageId"]["imageDigest"], end="")
                """)
            let ecr = ECRClient(client: fixture.client)
            let found = try await ecr.describeImages(repository: "community-api", images: [.tag("1.0.0")])
            #expect(found.first?.tags == ["1.0.0"])
            #expect(found.first?.digest == digest)
            #expect(try await ecr.imageExists(repository: "community-api", .digest(digest)))
            #expect(try await !ecr.imageExists(repository: "community-api", .tag("9.9.9")))
            let missing = await #expect(throws: AWSError.self) {
                try await ecr.describeImages(repository: "community-api", images: [.tag("9.9.9")])
            }
            #expect(missing?.is(.imageNotFound) == true)
            #expect(missing?.message.contains("9.9.9") == true)
            let noRepo = await #expect(throws: AWSError.self) { try await ecr.imageExists(repository: "nope", .tag("1")) }
            #expect(noRepo?.is(.repositoryNotFound) == true)
            #expect(try await ecr.describeImages(repository: "community-api").count == 1)

            let auth = try await ecr.getAuthorization()
            #expect(auth.username == "AWS")
            #expect(!auth.password.isEmpty)
            #expect(!auth.description.contains(auth.password))
            #expect(auth.expiresAt != nil)

            // The cache fetches once while the token is valid (moto's token expires in 2015, so
            // a clock set before then keeps it, and one after it refetches every time).
            let early = ECRAuthorizationCache(ecr: ecr, now: { Date(timeIntervalSince1970: 0) })
            _ = try await early.authorization()
            _ = try await early.authorization()
            let late = ECRAuthorizationCache(ecr: ecr)
            _ = try await late.authorization()
            _ = try await late.authorization()
            let tokenCalls = try #require(fixture.proxy).actions.filter { $0 == "GetAuthorizationToken" }.count
            #expect(tokenCalls == 1 + 1 + 2)
        }
    }

    @Test("ECS: describe, list, task definition revision with a new image keeps other fields, update service")
    func ecs() async throws {
        try await MotoFixture.with(motoEnvironment: ["MOTO_ECS_SERVICE_RUNNING": "1"]) { fixture in
            try await fixture.moto.python(
                """
                import boto3
                ecs = boto3.client("ecs")
                ecs.create_cluster(clusterName="prod")
                ecs.register_task_definition(family="web", networkMode="bridge",
                    containerDefinitions=[{"name": "web", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0",
                        "memory": 256, "essential": True, "environment": [{"name": "MODE", "value": "prod"}],
                        "portMappings": [{"containerPort": 8080, "hostPort": 8080}]},
                        {"name": "sidecar", "image": "busybox:1", "memory": 64, "essential": False}])
                for i in range(3):
                    ecs.create_service(cluster="prod", serviceName=f"svc-{i}", taskDefinition="web:1", desiredCount=1)
                """)
            let ecs = ECSClient(client: fixture.client)
            let arns = try await ecs.listServices(cluster: "prod")
            #expect(arns.count == 3)
            let described = try await ecs.describeServices(cluster: "prod", services: ["svc-0", "svc-1", "nope"])
            #expect(described.services.map(\.serviceName).sorted() == ["svc-0", "svc-1"])
            #expect(described.missing.count == 1)
            #expect(described.services.first?.taskDefinition.hasSuffix("task-definition/web:1") == true)

            let current = try await ecs.describeTaskDefinition("web:1")
            #expect(current.revision == 1)
            #expect(current.family == "web")
            let next = try await ecs.registerTaskDefinition(
                current.replacingImage(with: "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.1.0", container: "web"))
            #expect(next.revision == 2)
            #expect(next.containerImages.first { $0.name == "web" }?.image.hasSuffix("web:1.1.0") == true)
            #expect(next.containerImages.first { $0.name == "sidecar" }?.image == "busybox:1")
            let container = next.document["containerDefinitions"]?.arrayValue?.first { $0["name"]?.stringValue == "web" }
            #expect(container?["environment"]?.arrayValue?.first?["value"]?.stringValue == "prod")
            #expect(container?["portMappings"]?.arrayValue?.first?["containerPort"]?.intValue == 8080)
            #expect(next.document["networkMode"]?.stringValue == "bridge")

            // Created with MOTO_ECS_SERVICE_RUNNING=1: settled at once.
            let settled = try await ecs.waitUntilSettled(
                cluster: "prod", service: "svc-0", timeout: .seconds(120), pollInterval: .milliseconds(100))
            #expect(settled.runningCount == 1)
            let nextARN = try #require(next.arn)
            let updated = try await ecs.updateService(cluster: "prod", service: "svc-0", taskDefinition: nextARN)
            #expect(updated.taskDefinition == next.arn)
            let after = try await ecs.describeServices(cluster: "prod", services: ["svc-0"])
            #expect(after.services.first?.taskDefinition == next.arn)
            // moto keeps the old deployment as PRIMARY: the waiter times out, naming what it saw.
            let stuck = await #expect(throws: AWSError.self) {
                try await ecs.waitUntilSettled(
                    cluster: "prod", service: "svc-0", timeout: .milliseconds(500), pollInterval: .milliseconds(100))
            }
            #expect(stuck?.is(.waiterTimeout) == true)
            #expect(stuck?.message.contains("web:1") == true)

            let clusters = try await ecs.describeClusters(["prod"])
            #expect(clusters.first?.clusterName == "prod")
            #expect(clusters.first?.status == "ACTIVE")

            let missing = await #expect(throws: AWSError.self) { try await ecs.describeTaskDefinition("nope:9") }
            #expect(missing?.is(.ecsClientException) == true)
        }
    }

    @Test("RDS: describe with pending values, modify class with ApplyImmediately")
    func rds() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            try await fixture.moto.aws([
                "rds", "create-db-instance", "--db-instance-identifier", "orders", "--db-instance-class", "db.t3.micro",
                "--engine", "postgres", "--allocated-storage", "20", "--master-username", "admin",
                "--master-user-password", "not-a-real-password",
            ])
            let rds = RDSClient(client: fixture.client)
            let all = try await rds.describeDBInstances()
            let orders = try #require(all.first { $0.identifier == "orders" })
            #expect(orders.dbInstanceClass == "db.t3.micro")
            #expect(orders.engine == "postgres")
            #expect(orders.allocatedStorage == 20)
            #expect(orders.pendingModifiedValues.isEmpty)

            try await rds.modifyDBInstance("orders", RDSModification(dbInstanceClass: "db.t3.large", applyImmediately: true))
            let modified = try #require(try await rds.describeDBInstances(identifier: "orders").first)
            #expect(modified.dbInstanceClass == "db.t3.large")
            let proxy = try #require(fixture.proxy)
            let modifyBody = try #require(proxy.calls.first { $0.action == "ModifyDBInstance" }?.body)
            #expect(modifyBody.contains("ApplyImmediately=true"))
            #expect(modifyBody.contains("DBInstanceClass=db.t3.large"))

            let missing = await #expect(throws: AWSError.self) { try await rds.describeDBInstances(identifier: "nope") }
            #expect(missing?.is(.dbInstanceNotFound) == true)
        }
    }

    @Test("ELBv2: register, describe health, deregister")
    func elbv2() async throws {
        try await MotoFixture.with { fixture in
            let ids = try await fixture.moto.python(
                """
                import boto3
                ec2 = boto3.client("ec2")
                vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
                tg = boto3.client("elbv2").create_target_group(Name="web", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="instance")
                arn = tg["TargetGroups"][0]["TargetGroupArn"]
                i = ec2.run_instances(ImageId="ami-12c6146b", MinCount=2, MaxCount=2)["Instances"]
                print(arn, i[0]["InstanceId"], i[1]["InstanceId"], end="")
                """
            ).split(separator: " ").map(String.init)
            let (arn, first, second) = (ids[0], ids[1], ids[2])
            let elb = ELBv2Client(client: fixture.client)
            try await elb.registerTargets(targetGroupARN: arn, [ELBTarget(id: first, port: 8080), ELBTarget(id: second, port: 8080)])
            let health = try await elb.describeTargetHealth(targetGroupARN: arn)
            #expect(Set(health.map(\.target.id)) == [first, second])
            #expect(health.allSatisfy { !$0.state.isEmpty })
            try await elb.deregisterTargets(targetGroupARN: arn, [ELBTarget(id: first, port: 8080)])
            let after = try await elb.describeTargetHealth(targetGroupARN: arn)
            #expect(!after.contains { $0.target.id == first && $0.state == "healthy" })
        }
    }

    @Test("DynamoDB: create table, conditional writes (typed ConditionalCheckFailedException), update, get, delete")
    func dynamodb() async throws {
        try await MotoFixture.with { fixture in
            let dynamo = DynamoDBClient(client: fixture.client)
            let table = "leases-\(UInt32.random(in: 0...UInt32.max))"
            try await dynamo.createTable(table, hashKey: "id")
            #expect(try await dynamo.tableStatus(table) == "ACTIVE")
            let again = await #expect(throws: AWSError.self) { try await dynamo.createTable(table, hashKey: "id") }
            #expect(again?.is(.resourceInUse) == true)

            let key: DynamoDBItem = ["id": .string("controller")]
            let notExists = DynamoDBCondition("attribute_not_exists(#id)", names: ["#id": "id"])
            try await dynamo.putItem(
                table: table, item: key.merging(["owner": .string("host-a"), "epoch": .int(1)]) { $1 }, condition: notExists)
            let taken = await #expect(throws: AWSError.self) {
                try await dynamo.putItem(table: table, item: key.merging(["owner": .string("host-b")]) { $1 }, condition: notExists)
            }
            #expect(taken?.is(.conditionalCheckFailed) == true)
            #expect(taken?.classification == .client)

            let renewed = try await dynamo.updateItem(
                table: table, key: key, update: "SET epoch = epoch + :one", condition: "#o = :me",
                names: ["#o": "owner"], values: [":one": .int(1), ":me": .string("host-a")])
            #expect(renewed["epoch"]?.intValue == 2)
            await #expect(throws: AWSError.self) {
                try await dynamo.updateItem(
                    table: table, key: key, update: "SET epoch = :x", condition: "#o = :me", names: ["#o": "owner"],
                    values: [":x": .int(9), ":me": .string("host-b")])
            }
            let item = try await dynamo.getItem(table: table, key: key)
            #expect(item?["owner"]?.stringValue == "host-a")
            #expect(item?["epoch"] == .number("2"))

            await #expect(throws: AWSError.self) {
                try await dynamo.deleteItem(
                    table: table, key: key,
                    condition: DynamoDBCondition("#o = :me", names: ["#o": "owner"], values: [":me": .string("host-b")]))
            }
            try await dynamo.deleteItem(
                table: table, key: key,
                condition: DynamoDBCondition("#o = :me", names: ["#o": "owner"], values: [":me": .string("host-a")]))
            #expect(try await dynamo.getItem(table: table, key: key) == nil)
        }
    }

    @Test("SSM parameters (SecureString decrypted, masked), Secrets Manager, STS")
    func parametersSecretsIdentity() async throws {
        try await MotoFixture.with { fixture in
            try await fixture.moto.python(
                """
                import boto3
                ssm = boto3.client("ssm")
                ssm.put_parameter(Name="/shipshape/db-password", Value="hunter2-secret", Type="SecureString")
                ssm.put_parameter(Name="/shipshape/replicas", Value="3", Type="String")
                boto3.client("secretsmanager").create_secret(Name="shipshape/api-key", SecretString="s3cr3t-value")
                """)
            let ssm = SSMClient(client: fixture.client)
            let password = try await ssm.getParameter("/shipshape/db-password")
            #expect(password.value == "hunter2-secret")
            #expect(password.type == "SecureString")
            #expect(!password.description.contains("hunter2"))
            let many = try await ssm.getParameters(["/shipshape/replicas", "/shipshape/db-password", "/shipshape/missing"])
            #expect(Set(many.parameters.map(\.name)) == ["/shipshape/replicas", "/shipshape/db-password"])
            #expect(many.invalid == ["/shipshape/missing"])
            let missing = await #expect(throws: AWSError.self) { try await ssm.getParameter("/shipshape/missing") }
            #expect(missing?.is(.parameterNotFound) == true)

            let secrets = SecretsManagerClient(client: fixture.client)
            let secret = try await secrets.getSecretValue("shipshape/api-key")
            #expect(secret.string == "s3cr3t-value")
            #expect(!secret.description.contains("s3cr3t"))
            let noSecret = await #expect(throws: AWSError.self) { try await secrets.getSecretValue("nope") }
            #expect(noSecret?.is(.resourceNotFound) == true)

            let identity = try await STSClient(client: fixture.client).getCallerIdentity()
            #expect(identity.account == "123456789012")
        }
    }
}
