import Foundation
import Logging
import ShipshapeAWS
import ShipshapeTesting
import Testing

/// Replays responses boto3 received from moto (`Fixtures/aws-wire/moto-captures.jsonl`) to the
/// client through the proxy, and checks both what the client parses and what it sends.
@Suite("wire format against captured moto traffic")
struct WireFormatTests {
    struct Capture: Decodable {
        var method: String
        var path: String
        var req_headers: [String: String]
        var req_body: String
        var status: Int
        var resp_headers: [String: String]
        var resp_body: String
    }

    static func captures() throws -> [Capture] {
        try Fixtures.text("aws-wire/moto-captures.jsonl").split(separator: "\n").map {
            try JSONDecoder().decode(Capture.self, from: Data($0.utf8))
        }
    }

    /// A proxy whose upstream is never reached: every request gets the capture's response.
    static func replay<T>(_ capture: Capture, _ body: (AWSClient, AWSFaultProxy) async throws -> T) async throws -> T {
        let proxy = try await AWSFaultProxy.start(upstream: URL(string: "http://127.0.0.1:9")!)
        proxy.inject(
            .response(
                status: capture.status, body: capture.resp_body,
                contentType: capture.resp_headers["Content-Type"] ?? "application/x-amz-json-1.1"))
        let client = AWSClient(
            configuration: .init(region: "ap-northeast-2", endpoint: proxy.endpoint, environment: [:], retry: .none),
            credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "x")),
            logger: Logger(label: "test"))
        do {
            let result = try await body(client, proxy)
            try await client.shutdown()
            await proxy.stop()
            return result
        } catch {
            try? await client.shutdown()
            await proxy.stop()
            throw error
        }
    }

    @Test("EC2 DescribeInstances: same request body as boto3, response parsed")
    func describeInstances() async throws {
        let capture = try Self.captures()[0]
        let (instances, sent) = try await Self.replay(capture) { client, proxy in
            let instances = try await EC2Client(client: client, pageSize: 5).describeInstances(filters: [.tag("Name", "web-1")])
            return (instances, proxy.calls.first?.body)
        }
        #expect(sent == capture.req_body)
        let instance = try #require(instances.first)
        #expect(instances.count == 1)
        #expect(instance.instanceID == "i-448f53678cb7d8420")
        #expect(instance.reservationID == "r-a0232d59f7df7dbd4")
        #expect(instance.instanceType == "t3.micro")
        #expect(instance.state == .running)
        #expect(instance.tags == ["Name": "web-1"])
        #expect(instance.vpcID == "vpc-f92887a2029cbe426")
        #expect(instance.privateIPAddress == "10.229.244.52")
    }

    @Test("EC2 error envelope becomes a typed error")
    func ec2Error() async throws {
        let capture = try Self.captures()[2]
        let error = await #expect(throws: AWSError.self) {
            try await Self.replay(capture) { client, _ in
                try await EC2Client(client: client).describeInstances(instanceIDs: ["i-0000000000000dead"])
            }
        }
        #expect(error?.is(.instanceNotFound) == true)
        #expect(error?.message == "The instance ID 'i-0000000000000dead' does not exist")
        #expect(error?.requestID == "request-id")
        #expect(error?.classification == .client)
        #expect(error?.httpStatus == 400)
    }

    @Test("ECS DescribeServices: same JSON and target as boto3, response parsed")
    func describeServices() async throws {
        let capture = try Self.captures()[1]
        let (result, call) = try await Self.replay(capture) { client, proxy in
            (try await ECSClient(client: client).describeServices(cluster: "prod", services: ["web"]), proxy.calls.first)
        }
        #expect(call?.action == "DescribeServices")
        #expect(call?.service == "ecs")
        let sent = try JSONSerialization.jsonObject(with: Data((call?.body ?? "").utf8)) as? NSDictionary
        let expected = try JSONSerialization.jsonObject(with: Data(capture.req_body.utf8)) as? NSDictionary
        #expect(sent == expected)
        let service = try #require(result.services.first)
        #expect(result.missing.isEmpty)
        #expect(service.serviceName == "web")
        #expect(service.taskDefinition == "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/web:1")
        #expect(service.desiredCount == 1 && service.runningCount == 0 && service.pendingCount == 1)
        #expect(service.deployments.first?.rolloutState == "IN_PROGRESS")
        #expect(!service.isSettled)
    }

    @Test("ECS ClientException (JSON __type) becomes a typed error")
    func ecsError() async throws {
        let capture = try Self.captures()[3]
        let error = await #expect(throws: AWSError.self) {
            try await Self.replay(capture) { client, _ in
                try await ECSClient(client: client).describeTaskDefinition("nope:9")
            }
        }
        #expect(error?.is(.ecsClientException) == true)
        #expect(error?.message == "Unable to describe task definition.")
        #expect(error?.service == "ecs" && error?.operation == "DescribeTaskDefinition")
    }
}
