import Foundation
import Logging
import ShipshapeAWS
import ShipshapeTesting
import Testing

@Suite("SigV4 against moto with signature checking on")
struct MotoAuthTests {
    @Test("an IAM user's real key is accepted, a wrong secret is refused with a typed auth error")
    func signatureChecking() async throws {
        try await MotoFixture.with { fixture in
            let moto = fixture.moto
            let user = "shipshape-\(UInt32.random(in: 0...UInt32.max))"
            try await moto.aws(["iam", "create-user", "--user-name", user])
            try await moto.aws([
                "iam", "put-user-policy", "--user-name", user, "--policy-name", "all",
                "--policy-document",
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            ])
            let key = try jsonObject(try await moto.aws(["iam", "create-access-key", "--user-name", user]))
            let accessKey = try #require((key["AccessKey"] as? [String: Any])?["AccessKeyId"] as? String)
            let secret = try #require((key["AccessKey"] as? [String: Any])?["SecretAccessKey"] as? String)
            try await moto.setAuthentication(enabled: true)

            func client(secret: String) -> AWSClient {
                AWSClient(
                    configuration: .init(region: MotoFixture.region, endpoint: moto.endpoint, environment: [:], retry: .none),
                    credentialProvider: StaticCredentialProvider(AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret)),
                    logger: Logger(label: "test"))
            }
            let good = client(secret: secret)
            let identity = try await STSClient(client: good).getCallerIdentity()
            #expect(identity.arn.hasSuffix("user/\(user)"))
            let vpcs = try await EC2Client(client: good).describeVPCs()
            #expect(!vpcs.isEmpty)
            _ = try await SSMClient(client: good).getParameters(["/nothing/here"])
            try await good.shutdown()

            let bad = client(secret: secret + "x")
            let ec2Error = await #expect(throws: AWSError.self) { try await EC2Client(client: bad).describeVPCs() }
            #expect(ec2Error?.classification == .auth)
            #expect(["AuthFailure", "SignatureDoesNotMatch"].contains(ec2Error?.code ?? ""))
            #expect(ec2Error?.description.contains(secret) == false)
            let jsonError = await #expect(throws: AWSError.self) {
                try await SSMClient(client: bad).getParameter("/nothing/here")
            }
            #expect(jsonError?.classification == .auth)
            try await bad.shutdown()
            try await moto.setAuthentication(enabled: false)
        }
    }
}
