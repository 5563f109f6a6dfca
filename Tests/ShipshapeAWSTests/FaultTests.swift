import Foundation
import Logging
import ShipshapeAWS
import ShipshapeTesting
import Testing

@Suite("retries and faults through the proxy")
struct FaultTests {
    @Test("EC2 throttling twice, then success: three attempts, throttling backoff")
    func ec2Throttling() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let proxy = try #require(fixture.proxy)
            proxy.inject(.throttle(.ec2), times: 2, action: "DescribeVpcs")
            let vpcs = try await EC2Client(client: fixture.client).describeVPCs()
            #expect(!vpcs.isEmpty)
            #expect(proxy.calls.map(\.status) == [503, 503, 200])
            #expect(proxy.calls.map(\.fault) == ["throttle", "throttle", nil])
            // Jitter is fixed at 1 in the fixture: full throttling backoff, 500 ms then 1 s.
            #expect(fixture.sleeps.recorded == [.milliseconds(500), .seconds(1)])
        }
    }

    @Test("503 then success; a dropped connection then success; a slow answer still arrives")
    func transient() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let proxy = try #require(fixture.proxy)
            let ec2 = EC2Client(client: fixture.client)
            proxy.inject(.status(503))
            _ = try await ec2.describeSecurityGroups()
            #expect(proxy.calls.map(\.status) == [503, 200])
            #expect(fixture.sleeps.recorded == [.milliseconds(100)])

            proxy.clearRecording()
            proxy.inject(.dropConnection)
            _ = try await ec2.describeSecurityGroups()
            #expect(proxy.calls.map(\.status) == [0, 200])

            proxy.clearRecording()
            proxy.inject(.delay(.milliseconds(300)))
            _ = try await ec2.describeSecurityGroups()
            #expect(proxy.calls.map(\.fault) == ["delay"])
        }
    }

    @Test("JSON throttling (DynamoDB, SSM) and awsquery throttling (RDS) are retried")
    func otherProtocols() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let proxy = try #require(fixture.proxy)
            proxy.inject(.throttle(.json), times: 1, action: "CreateTable")
            try await DynamoDBClient(client: fixture.client).createTable("t-\(UInt32.random(in: 0...UInt32.max))", hashKey: "id")
            #expect(proxy.calls.filter { $0.action == "CreateTable" }.map(\.status) == [400, 200])
            proxy.inject(.throttle(.awsQuery), times: 2, action: "DescribeDBInstances")
            #expect(try await RDSClient(client: fixture.client).describeDBInstances().isEmpty)
            #expect(proxy.calls.filter { $0.action == "DescribeDBInstances" }.count == 3)
        }
    }

    @Test("exhausted retries end in a typed error that says how many attempts were made")
    func exhausted() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let proxy = try #require(fixture.proxy)
            proxy.inject(.throttle(.ec2), times: 3)
            let error = await #expect(throws: AWSError.self) { try await EC2Client(client: fixture.client).describeVPCs() }
            #expect(error?.code == "RequestLimitExceeded")
            #expect(error?.classification == .throttling)
            #expect(error?.attempts == 3)
            #expect(error?.description.contains("after 3 attempts") == true)
            #expect(proxy.calls.count == 3)

            proxy.clearRecording()
            proxy.inject(.status(500), times: 3)
            let server = await #expect(throws: AWSError.self) { try await STSClient(client: fixture.client).getCallerIdentity() }
            #expect(server?.classification == .transient)
            #expect(server?.httpStatus == 500)
            #expect(proxy.calls.count == 3)
        }
    }

    @Test("the shared retry quota stops retries once spent, and successes refill it")
    func retryQuota() async throws {
        try await MotoFixture.with(proxy: true, retry: RetryPolicy(jitter: { 1 }, retryQuota: 10)) { fixture in
            let proxy = try #require(fixture.proxy)
            let ec2 = EC2Client(client: fixture.client)
            proxy.inject(.throttle(.ec2), times: 4)
            let first = await #expect(throws: AWSError.self) { try await ec2.describeVPCs() }
            #expect(first?.attempts == 3)
            #expect(fixture.client.retryQuotaRemaining == 0)
            let second = await #expect(throws: AWSError.self) { try await ec2.describeVPCs() }
            #expect(second?.attempts == 1, "an empty bucket means no retry")
            #expect(proxy.calls.count == 4)
            _ = try await ec2.describeVPCs()
            #expect(fixture.client.retryQuotaRemaining == 1, "a first-try success gives back one token")
            proxy.inject(.status(503))
            let third = await #expect(throws: AWSError.self) { try await ec2.describeVPCs() }
            #expect(third?.attempts == 1, "one token is not enough for a retry")
            for _ in 0..<4 { _ = try await ec2.describeVPCs() }
            #expect(fixture.client.retryQuotaRemaining == 5)
            proxy.inject(.status(503))
            _ = try await ec2.describeVPCs()
            #expect(proxy.calls.suffix(2).map(\.status) == [503, 200])
            #expect(fixture.client.retryQuotaRemaining == 5, "a success after a retry gives back that retry's cost")
        }
    }

    @Test("client errors are not retried")
    func clientErrorsNotRetried() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let proxy = try #require(fixture.proxy)
            await #expect(throws: AWSError.self) {
                try await EC2Client(client: fixture.client).describeInstances(instanceIDs: ["i-0000000000000dead"])
            }
            #expect(proxy.calls.count == 1)
            #expect(fixture.sleeps.recorded.isEmpty)
        }
    }

    @Test("a clock an hour slow is corrected from the Date header and the call succeeds")
    func clockSkew() async throws {
        try await MotoFixture.with(proxy: true, now: { Date().addingTimeInterval(-3600) }) { fixture in
            let proxy = try #require(fixture.proxy)
            proxy.rejectSkewedRequests(tolerance: 300)
            let ec2 = EC2Client(client: fixture.client)
            _ = try await ec2.describeVPCs()
            #expect(proxy.calls.map(\.status) == [403, 200])
            #expect(abs(fixture.client.clockOffset - 3600) < 120)
            _ = try await ec2.describeVPCs()
            #expect(proxy.calls.map(\.status) == [403, 200, 200], "the offset is kept for later calls")
            _ = try await SSMClient(client: fixture.client).getParameters(["/x"])
            #expect(proxy.calls.last?.status == 200)
        }
    }

    @Test("an attempt that outlives attemptTimeout is a Timeout, retried")
    func attemptTimeout() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let proxy = try #require(fixture.proxy)
            // Without retries: the typed Timeout error.
            proxy.inject(.delay(.seconds(4)), times: 1, action: "GetCallerIdentity")
            let error = await #expect(throws: AWSError.self) {
                try await withAWSClient(
                    .init(
                        region: MotoFixture.region, endpoint: proxy.endpoint, environment: [:], retry: .none,
                        attemptTimeout: .seconds(1))
                ) { client in try await STSClient(client: client).getCallerIdentity() }
            }
            #expect(error?.is(.timeout) == true)
            #expect(error?.classification == .transient)

            // With retries: the slow attempt is abandoned, the next one answers.
            let sleeps = SleepRecorder()
            proxy.inject(.delay(.seconds(8)), times: 1, action: "GetCallerIdentity")
            let identity = try await withAWSClient(
                .init(
                    region: MotoFixture.region, endpoint: proxy.endpoint, environment: [:], retry: RetryPolicy(jitter: { 1 }),
                    attemptTimeout: .seconds(4), sleep: sleeps.sleep)
            ) { client in
                try await STSClient(client: client).getCallerIdentity()
            }
            #expect(identity.account == "123456789012")
            #expect(sleeps.recorded.first == .milliseconds(100))
        }
    }

    @Test("AWS_ENDPOINT_URL_<SERVICE> routes that service, AWS_ENDPOINT_URL the others")
    func endpointVariables() async throws {
        try await MotoFixture.with(proxy: true) { fixture in
            let proxy = try #require(fixture.proxy)
            let environment = [
                "AWS_ENDPOINT_URL": fixture.moto.endpoint.absoluteString, "AWS_ENDPOINT_URL_EC2": proxy.endpoint.absoluteString,
            ]
            try await withAWSClient(.init(region: MotoFixture.region, environment: environment)) { client in
                _ = try await EC2Client(client: client).describeVPCs()
                _ = try await STSClient(client: client).getCallerIdentity()
            }
            #expect(!proxy.actions.isEmpty && Set(proxy.actions) == ["DescribeVpcs"], "only EC2 goes through the proxy")
        }
    }
}
