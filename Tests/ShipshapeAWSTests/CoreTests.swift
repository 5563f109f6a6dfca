import Foundation
import Logging
@testable import ShipshapeAWS
import ShipshapeTesting
import Testing

@Suite("endpoints, retries, errors, registry")
struct CoreTests {
    @Test("endpoint resolution: explicit, per-service variable, global variable, default")
    func endpoints() {
        let environment = [
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1000",
            "AWS_ENDPOINT_URL_EC2": "http://127.0.0.1:2000",
            "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2": "http://127.0.0.1:3000",
        ]
        let resolver = AWSEndpointResolver(environment: environment)
        #expect(resolver.endpoint(for: .ec2, region: "eu-west-1").absoluteString == "http://127.0.0.1:2000")
        #expect(resolver.endpoint(for: .elbv2, region: "eu-west-1").absoluteString == "http://127.0.0.1:3000")
        #expect(resolver.endpoint(for: .ecs, region: "eu-west-1").absoluteString == "http://127.0.0.1:1000")
        let explicit = AWSEndpointResolver(explicitEndpoint: URL(string: "http://127.0.0.1:4000")!, environment: environment)
        #expect(explicit.endpoint(for: .ec2, region: "eu-west-1").absoluteString == "http://127.0.0.1:4000")
        let none = AWSEndpointResolver(environment: [:])
        #expect(none.endpoint(for: .ec2, region: "eu-west-1").absoluteString == "https://ec2.eu-west-1.amazonaws.com")
        #expect(none.endpoint(for: .ecr, region: "us-east-2").absoluteString == "https://api.ecr.us-east-2.amazonaws.com")
        #expect(
            none.endpoint(for: .elbv2, region: "ap-northeast-2").absoluteString
                == "https://elasticloadbalancing.ap-northeast-2.amazonaws.com")
        #expect(none.endpoint(for: .sts, region: "cn-north-1").absoluteString == "https://sts.cn-north-1.amazonaws.com.cn")
        #expect(
            AWSEndpointResolver.sanitized(URL(string: "https://user:secret@example.com:8443/x?token=abc")!)
                == "https://example.com:8443/x")
    }

    @Test("backoff is exponential with full jitter, capped, and longer for throttling")
    func backoff() {
        let policy = RetryPolicy(jitter: { 1 })
        let transient = AWSError(code: "InternalError", message: "", service: "ec2", operation: "X", httpStatus: 500)
        let throttled = AWSError(code: "RequestLimitExceeded", message: "", service: "ec2", operation: "X", httpStatus: 503)
        #expect(transient.classification == .transient)
        #expect(throttled.classification == .throttling)
        #expect(policy.delay(beforeRetry: 1, after: transient) == .milliseconds(100))
        #expect(policy.delay(beforeRetry: 2, after: transient) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 3, after: transient) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 1, after: throttled) == .milliseconds(500))
        #expect(policy.delay(beforeRetry: 20, after: throttled) == .seconds(20))
        let half = RetryPolicy(jitter: { 0.5 })
        #expect(half.delay(beforeRetry: 2, after: transient) == .milliseconds(100))
        let random = RetryPolicy()
        for _ in 0..<100 {
            let delay = random.delay(beforeRetry: 3, after: transient)
            #expect(delay >= .zero && delay <= .milliseconds(400))
        }
        #expect(policy.isRetryable(transient) && policy.isRetryable(throttled))
        let client = AWSError(code: "InvalidPermission.Duplicate", message: "", service: "ec2", operation: "X", httpStatus: 400)
        #expect(client.classification == .client && !policy.isRetryable(client))
        let auth = AWSError(code: "AuthFailure", message: "", service: "ec2", operation: "X", httpStatus: 401)
        #expect(auth.classification == .auth && !policy.isRetryable(auth))
    }

    @Test("errors say service, operation, code, request id and what to do")
    func errorDescription() {
        let error = AWSError(
            code: "InvalidGroup.NotFound", message: "The security group 'sg-1' does not exist", requestID: "req-1",
            service: "ec2", operation: "DescribeSecurityGroups", httpStatus: 400, attempts: 1)
        #expect(error.description.contains("ec2 DescribeSecurityGroups failed: InvalidGroup.NotFound (HTTP 400)"))
        #expect(error.description.contains("sg-1"))
        #expect(error.description.contains("req-1"))
        #expect(error.is(.securityGroupNotFound))
        #expect(AWSClient.jsonErrorCode("com.amazon.coral.validate#ValidationException:http://x") == "ValidationException")
        #expect(AWSClient.jsonErrorCode("ConditionalCheckFailedException") == "ConditionalCheckFailedException")
    }

    @Test("the action registry lists every call once, with IAM names")
    func registry() {
        let names = AWSAction.all.map(\.iamAction)
        #expect(Set(names).count == names.count)
        #expect(names.contains("ec2:DescribeSecurityGroupRules"))
        #expect(names.contains("elasticloadbalancing:RegisterTargets"))
        #expect(AWSAction.mutatingNames.contains("ModifyInstanceAttribute"))
        #expect(!AWSAction.mutatingNames.contains("DescribeInstances"))
        #expect(AWSAction.all.count == 38)
    }

    @Test("query parameters encode as boto3 does")
    func queryEncoding() {
        var parameters = QueryParameters()
        parameters.add("Filter.1.Name", "tag:Name")
        parameters.addList("Filter.1.Value", ["web 1", "ሴ"])
        #expect(
            parameters.formBody(action: "DescribeInstances", version: "2016-11-15")
                == "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AName&Filter.1.Value.1=web%201&Filter.1.Value.2=%E1%88%B4"
        )
    }

    @Test("XML reader handles namespaces, nesting and CDATA")
    func xml() throws {
        let root = try XMLElementNode.parse(
            Data(
                "<?xml version=\"1.0\"?><a:R xmlns:a=\"urn:x\"><a:x>1</a:x><set><item><k>v</k></item><item><k><![CDATA[<w>]]></k></item></set></a:R>"
                    .utf8))
        #expect(root.name == "R")
        #expect(root.string("x") == "1")
        #expect(root.list("set").compactMap { $0.string("k") } == ["v", "<w>"])
        #expect(throws: XMLElementNode.XMLParseError.self) { try XMLElementNode.parse(Data("<a><b></a>".utf8)) }
    }

    @Test("region: AWS_REGION, then AWS_DEFAULT_REGION, then the profile's region")
    func region() throws {
        #expect(AWSRegion.resolve(environment: ["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-east-2"]) == "eu-west-1")
        #expect(AWSRegion.resolve(environment: ["AWS_DEFAULT_REGION": "us-east-2", "HOME": "/nonexistent"]) == "us-east-2")
        let dir = try TemporaryDirectory(prefix: "shipshape-aws-region")
        defer { dir.remove() }
        let config = try dir.write("[profile ops]\nregion = ap-northeast-2\n", to: "config")
        #expect(AWSRegion.resolve(environment: ["AWS_CONFIG_FILE": config, "AWS_PROFILE": "ops"]) == "ap-northeast-2")
        #expect(AWSRegion.resolve(environment: ["HOME": "/nonexistent"]) == nil)
    }

    @Test("the IAM policy document is valid JSON listing every action")
    func policyDocument() throws {
        let object = try JSONSerialization.jsonObject(with: Data(AWSAction.iamPolicyDocument.utf8)) as? [String: Any]
        let statement = (object?["Statement"] as? [[String: Any]])?.first
        #expect((statement?["Action"] as? [String]) == AWSAction.iamActions)
    }
}
