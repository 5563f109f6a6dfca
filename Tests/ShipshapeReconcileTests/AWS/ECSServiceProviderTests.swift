import Foundation
import Logging
import ShipshapeAWS
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

@Suite("ECS services and ECR images against moto", .timeLimit(.minutes(5)))
struct ECSServiceProviderTests {
    /// Cluster `apps`, service `api` (2 tasks) on task definition `api:1` with image 1.0.0, and ECR
    /// repository `api` holding 1.0.0 and 1.1.0.
    static func seed(_ fixture: AWSProviderFixture) async throws {
        try await fixture.moto.python(
            """
            import boto3, json
            ecs = boto3.client("ecs")
            ecs.create_cluster(clusterName="apps")
            ecs.register_task_definition(family="api", containerDefinitions=[
                {"name": "api", "image": "\(AWSProviderFixture.registry)/api:1.0.0", "memory": 256,
                 "environment": [{"name": "MODE", "value": "prod"}]},
                {"name": "log-router", "image": "fluent-bit:2", "memory": 64}])
            ecs.create_service(cluster="apps", serviceName="api", taskDefinition="api:1", desiredCount=2)
            ecr = boto3.client("ecr")
            ecr.create_repository(repositoryName="api")
            for n, tag in enumerate(["1.0.0", "1.1.0"]):
                manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": n + 1, "digest": "sha256:" + str(n) * 64},
                    "layers": []}
                ecr.put_image(repositoryName="api", imageManifest=json.dumps(manifest), imageTag=tag)
            """)
    }

    static func environment(_ fixture: AWSProviderFixture, tag: String, replicas: Int = 2) -> Environment {
        var service = Service(
            name: "api", runtime: .ecs, image: ImageReference(registry: AWSProviderFixture.registry, repository: "api", tag: tag),
            replicas: replicas)
        service.ecs = ECSPlacement(cluster: "apps")
        return fixture.environment(EnvironmentSpec(services: ["api": service]))
    }

    static func serviceState(_ fixture: AWSProviderFixture) async throws -> (taskDefinition: String, images: [String: String], desired: Int) {
        let json = try await fixture.pythonJSON(
            """
            import boto3, json
            ecs = boto3.client("ecs")
            s = ecs.describe_services(cluster="apps", services=["api"])["services"][0]
            td = ecs.describe_task_definition(taskDefinition=s["taskDefinition"])["taskDefinition"]
            print(json.dumps({"td": td["taskDefinitionArn"], "images": {c["name"]: c["image"] for c in td["containerDefinitions"]}, "desired": s["desiredCount"]}))
            """)
        let object = json as? [String: Any] ?? [:]
        return (object["td"] as? String ?? "", object["images"] as? [String: String] ?? [:], object["desired"] as? Int ?? -1)
    }

    @Test("a new tag registers a revision with only that container's image changed, updates the service, settles; then a no-op")
    func deploy() async throws {
        try await AWSProviderFixture.with(motoEnvironment: ["MOTO_ECS_SERVICE_RUNNING": "2"]) { fixture in
            try await Self.seed(fixture)
            let environment = Self.environment(fixture, tag: "1.1.0")
            let plan = try await fixture.plan(environment)
            #expect(plan.changes.map(\.resource) == [ResourceID(.ecsService, "api")], "\(PlanRenderer.text(plan))")
            #expect(plan.unchanged == [ResourceID(.image, "\(AWSProviderFixture.registry)/api:1.1.0")])
            #expect(plan.changes.first?.fields.map(\.path) == ["image"])

            fixture.proxy.clearRecording()
            let report = await fixture.reconciler.apply(plan, logger: .init(label: "test"))
            #expect(report.succeeded, "\(report.failureText ?? "")")
            #expect(fixture.mutatingCalls == ["RegisterTaskDefinition", "UpdateService"])
            let state = try await Self.serviceState(fixture)
            #expect(state.taskDefinition.hasSuffix("task-definition/api:2"))
            #expect(state.images == ["api": "\(AWSProviderFixture.registry)/api:1.1.0", "log-router": "fluent-bit:2"])

            fixture.proxy.clearRecording()
            let second = try await fixture.cycle(environment, applied: plan.fingerprints)
            #expect(second.plan.changes.isEmpty, "\(PlanRenderer.text(second.plan))")
            #expect(fixture.mutatingCalls.isEmpty)
            // One DescribeServices for the cluster, one DescribeImages for the repository, and the new
            // revision's task definition read once (cached from then on).
            let ecsCalls = { fixture.proxy.actions.sorted() }
            #expect(ecsCalls() == ["DescribeImages", "DescribeServices", "DescribeTaskDefinition"])
            fixture.proxy.clearRecording()
            _ = try await fixture.plan(environment, applied: plan.fingerprints)
            #expect(ecsCalls() == ["DescribeImages", "DescribeServices"])
        }
    }

    @Test("a tag missing from ECR fails the image check with its name and the service is not touched")
    func missingImage() async throws {
        try await AWSProviderFixture.with(motoEnvironment: ["MOTO_ECS_SERVICE_RUNNING": "2"]) { fixture in
            try await Self.seed(fixture)
            let environment = Self.environment(fixture, tag: "9.9.9")
            fixture.proxy.clearRecording()
            let result = try await fixture.cycle(environment)
            let image = ResourceID(.image, "\(AWSProviderFixture.registry)/api:9.9.9")
            #expect(result.plan.changes.map(\.resource) == [image, ResourceID(.ecsService, "api")])
            let failure = try #require(result.report.failure)
            #expect(failure.resource == image)
            #expect("\(failure.error)".contains("api:9.9.9"))
            #expect(ErrorDisposition.of(failure.error) == .stalled)
            #expect(result.report.skipped == [ResourceID(.ecsService, "api")])
            #expect(fixture.mutatingCalls.isEmpty)
            #expect(try await Self.serviceState(fixture).taskDefinition.hasSuffix("api:1"))
        }
    }

    @Test("a deployment that does not settle is rolled back to the previous task definition and fails as stalled")
    func rollback() async throws {
        let options = AWSProviderOptions(
            protectedPorts: [], instanceStateTimeout: .seconds(5), pollInterval: .milliseconds(200), deploymentTimeout: .seconds(2))
        // moto started with MOTO_ECS_SERVICE_RUNNING=1 reports 1 of the 2 desired tasks running after
        // a task definition change: the deployment never settles.
        try await AWSProviderFixture.with(motoEnvironment: ["MOTO_ECS_SERVICE_RUNNING": "1"], options: options) { fixture in
            try await Self.seed(fixture)
            let before = try await Self.serviceState(fixture)
            fixture.proxy.clearRecording()
            let result = try await fixture.cycle(Self.environment(fixture, tag: "1.1.0"))
            let failure = try #require(result.report.failure)
            #expect(failure.resource == ResourceID(.ecsService, "api"))
            let error = try #require(failure.error as? AWSProviderError)
            #expect(error.code == .deploymentStalled && error.disposition == .stalled)
            #expect(error.message.contains("rolled back"))
            #expect(fixture.mutatingCalls == ["RegisterTaskDefinition", "UpdateService", "UpdateService"])
            let after = try await Self.serviceState(fixture)
            #expect(after.desired == 2)
            #expect(after.images["api"] == before.images["api"])
        }
    }

    @Test("a service moved to another task definition behind the controller's back is detected and redeployed")
    func drift() async throws {
        try await AWSProviderFixture.with(motoEnvironment: ["MOTO_ECS_SERVICE_RUNNING": "2"]) { fixture in
            try await Self.seed(fixture)
            let environment = Self.environment(fixture, tag: "1.1.0")
            let first = try await fixture.cycle(environment)
            #expect(first.report.succeeded, "\(first.report.failureText ?? "")")
            try await fixture.moto.aws(["ecs", "update-service", "--cluster", "apps", "--service", "api", "--task-definition", "api:1"])
            let drift = try await fixture.plan(environment, applied: first.plan.fingerprints)
            let change = try #require(drift.changes.first)
            #expect(change.reason == .drift)
            #expect(change.fields.first?.before == .string("\(AWSProviderFixture.registry)/api:1.0.0"))
            let healed = try await fixture.cycle(environment, applied: first.plan.fingerprints)
            #expect(healed.report.succeeded, "\(healed.report.failureText ?? "")")
            #expect(try await Self.serviceState(fixture).images["api"] == "\(AWSProviderFixture.registry)/api:1.1.0")
        }
    }
}
