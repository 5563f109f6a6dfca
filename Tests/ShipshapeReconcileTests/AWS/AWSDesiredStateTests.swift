import Foundation
import Logging
import ShipshapeAWS
import ShipshapeManifest
import ShipshapeReconcile
import Testing

/// Desired state and configuration errors: no AWS server needed (the client makes no call here).
@Suite("AWS providers: desired state")
struct AWSDesiredStateTests {
    static func client(region: String) -> AWSClient {
        AWSClient(
            configuration: .init(region: region, endpoint: URL(string: "http://127.0.0.1:9"), environment: [:]),
            credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "not-a-secret")),
            logger: Logger(label: "test"))
    }

    @Test("ECS services depend on their ECR image and security groups; images outside ECR get no check")
    func dependencies() async throws {
        let client = Self.client(region: "eu-west-1")
        defer { Task { try? await client.shutdown() } }
        let providers = AWSProviders.make(client: client, logger: Logger(label: "test"))
        var api = Service(
            name: "api", runtime: .ecs,
            image: ImageReference(registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", repository: "team/api", tag: "1.4.2"))
        api.ecs = ECSPlacement(cluster: "prod", securityGroups: ["api"])
        var hub = Service(name: "hub", runtime: .ecs, image: ImageReference(repository: "nginx", tag: "1.27"))
        hub.ecs = ECSPlacement(cluster: "prod")
        let environment = Environment(
            name: "prod", spec: EnvironmentSpec(region: "eu-west-1", services: ["api": api, "hub": hub]))
        let desired = try Reconciler(providers: providers).desiredResources(for: environment)
        let image = ResourceID(.image, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.4.2")
        #expect(Set(desired.map(\.id)) == [image, ResourceID(.ecsService, "api"), ResourceID(.ecsService, "hub")])
        let service = try #require(desired.first { $0.id == ResourceID(.ecsService, "api") })
        #expect(Set(service.dependencies) == [image, ResourceID(.securityGroup, "api")])
        #expect(service.attributes == ["image": .string("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.4.2"), "desired-count": .int(1)])
        #expect(desired.first { $0.id == ResourceID(.ecsService, "hub") }?.dependencies == [])
    }

    @Test("security group rules render as text; group references become dependencies; the protected field is disruptive")
    func securityGroupAttributes() async throws {
        let client = Self.client(region: "eu-west-1")
        defer { Task { try? await client.shutdown() } }
        let provider = SecurityGroupProvider(
            clients: .single(client), options: AWSProviderOptions(protectedPorts: [22, 9443]), logger: Logger(label: "test"))
        let db = ShipshapeManifest.SecurityGroup(
            name: "db", vpc: "vpc-1", description: "db",
            ingress: [
                .init(protocol: .tcp, ports: 5432...5432, peer: .group("api"), description: "from api"),
                .init(protocol: .all, ports: nil, peer: .cidrIPv6("2001:DB8::/32")),
                .init(protocol: .tcp, ports: 9000...9500, peer: .cidr("10.0.0.0/8")),
            ])
        let environment = Environment(name: "prod", spec: EnvironmentSpec(region: "eu-west-1", securityGroups: ["db": db]))
        let resource = try #require(try provider.desiredResources(for: environment).first)
        #expect(resource.dependencies == [ResourceID(.securityGroup, "api")])
        #expect(resource.attributes["ingress"] == .list([
            .string("all 2001:db8::/32"), .string("tcp/5432 sg:api \"from api\""), .string("tcp/9000-9500 10.0.0.0/8"),
        ]))
        #expect(resource.attributes[SecurityGroupProvider.protectedField] == .list([
            .string("all 2001:db8::/32 (keeps the controller's port 22,9443 reachable)"),
            .string("tcp/9000-9500 10.0.0.0/8 (keeps the controller's port 9443 reachable)"),
        ]))
        #expect(resource.fieldEffects[SecurityGroupProvider.protectedField] == .disruptive)
        #expect(resource.attributes["egress"] == nil)
    }

    @Test("an environment in another region than the single client's fails with an error naming both; one without AWS resources needs no client")
    func regionMismatch() async throws {
        let client = Self.client(region: "us-east-1")
        defer { Task { try? await client.shutdown() } }
        let provider = SecurityGroupProvider(clients: .single(client), logger: Logger(label: "test"))
        // Without security groups the provider needs no client at all.
        _ = try provider.desiredResources(for: Environment(name: "prod", spec: EnvironmentSpec(region: "ap-northeast-2")))
        #expect(try await provider.observe(Scope(environment: "prod", region: "ap-northeast-2")).isEmpty)
        let group = ShipshapeManifest.SecurityGroup(name: "web", vpc: "vpc-1", description: "web")
        _ = try provider.desiredResources(
            for: Environment(name: "prod", spec: EnvironmentSpec(region: "ap-northeast-2", securityGroups: ["web": group])))
        let error = await #expect(throws: AWSProviderError.self) {
            _ = try await provider.observe(Scope(environment: "prod", region: "ap-northeast-2"))
        }
        #expect(error?.code == .regionMismatch)
        #expect(error?.description.contains("us-east-1") == true && error?.description.contains("ap-northeast-2") == true)
    }
}
