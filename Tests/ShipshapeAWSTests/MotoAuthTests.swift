import Foundation
import Logging
import ShipshapeAWS
import ShipshapeTesting
import Testing

@Suite("SigV4 against moto with signature checking on")
struct MotoAuthTests {
    @Test("an IAM user's real key (policy = AWSAction.iamPolicyDocument) is accepted, a wrong secret is refused with a typed auth error")
    func signatureChecking() async throws {
        try await MotoFixture.with { fixture in
            let moto = fixture.moto
            let user = "shipshape-\(UInt32.random(in: 0...UInt32.max))"
            try await moto.aws(["iam", "create-user", "--user-name", user])
            try await moto.aws([
                "iam", "put-user-policy", "--user-name", user, "--policy-name", "all",
                "--policy-document", AWSAction.iamPolicyDocument,
            ])
            let key = try jsonObject(try await moto.aws(["iam", "create-access-key", "--user-name", user]))
            let accessKey = try #require((key["AccessKey"] as? [String: Any])?["AccessKeyId"] as? String)
            let secret = try #require((key["AccessKey"] as? [String: Any])?["SecretAccessKey"] as? String)
            try await moto.setAuthentication(enabled: true)

            let configuration = AWSClient.Configuration(
                region: MotoFixture.region, endpoint: moto.endpoint, environment: [:], retry: .none)
            try await withAWSClient(configuration, credentials: AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret)) {
                good in
            let identity = try await STSClient(client: good).getCallerIdentity()
            #expect(identity.arn.hasSuffix("user/\(user)"))
            let vpcs = try await EC2Client(client: good).describeVPCs()
            #expect(!vpcs.isEmpty)
            _ = try await SSMClient(client: good).getParameters(["/nothing/here"])
            }
            // The policy from the registry is least-privilege: moto refuses what it does not list.
            let outside = try await Command.run(
                ["aws", "--endpoint-url", moto.endpoint.absoluteString, "ec2", "describe-subnets"],
                environment: moto.clientEnvironment.merging(["AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secret]) {
                    $1
                }, check: false)
            #expect(outside.status != 0)
            #expect(outside.stderr.contains("UnauthorizedOperation") || outside.stderr.contains("AccessDenied"))

            try await withAWSClient(configuration, credentials: AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret + "x")) {
                bad in
            let ec2Error = await #expect(throws: AWSError.self) { try await EC2Client(client: bad).describeVPCs() }
            #expect(ec2Error?.classification == .auth)
            #expect(["AuthFailure", "SignatureDoesNotMatch"].contains(ec2Error?.code ?? ""))
            #expect(ec2Error?.description.contains(secret) == false)
            let jsonError = await #expect(throws: AWSError.self) {
                try await SSMClient(client: bad).getParameter("/nothing/here")
            }
            #expect(jsonError?.classification == .auth)
            }
            try await moto.setAuthentication(enabled: false)
        }
    }
}
