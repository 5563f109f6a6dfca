import AsyncHTTPClient
import Foundation
import Logging
import ShipshapeAWS
import ShipshapeTesting
import Synchronization
import Testing

@Suite("credential chain")
struct CredentialTests {
    let logger = Logger(label: "test")

    @Test("environment variables, with and without a session token")
    func environment() async throws {
        let credentials = try await EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENVEXAMPLE0001", "AWS_SECRET_ACCESS_KEY": "envsecret", "AWS_SESSION_TOKEN": "envtoken",
        ]).credentials(logger: logger)
        #expect(credentials.accessKeyID == "AKIAENVEXAMPLE0001")
        #expect(credentials.sessionToken == "envtoken")
        #expect(!credentials.description.contains("envsecret") && !credentials.description.contains("envtoken"))
        await #expect(throws: AWSError.self) {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "x"]).credentials(logger: logger)
        }
    }

    @Test("profiles from the credentials and config files, chosen by AWS_PROFILE")
    func profiles() async throws {
        let dir = try TemporaryDirectory(prefix: "shipshape-aws-profile")
        defer { dir.remove() }
        let credentialsFile = try dir.write(
            """
            # comment
            [default]
            aws_access_key_id = AKIADEFAULT00000001
            aws_secret_access_key = defaultsecret

            [deploy]
            aws_access_key_id=AKIADEPLOY000000001
            aws_secret_access_key=deploysecret
            aws_session_token=deploytoken
            """, to: "credentials")
        let configFile = try dir.write(
            """
            [default]
            region = eu-west-1
            [profile onlyconfig]
            region = ap-northeast-2
            aws_access_key_id = AKIACONFIG000000001
            aws_secret_access_key = configsecret
            [profile assumer]
            role_arn = arn:aws:iam::123456789012:role/x
            source_profile = default
            """, to: "config")
        let base = ["AWS_SHARED_CREDENTIALS_FILE": credentialsFile, "AWS_CONFIG_FILE": configFile, "HOME": dir.path]
        let defaultProfile = ProfileCredentialProvider(environment: base)
        #expect(try await defaultProfile.credentials(logger: logger).accessKeyID == "AKIADEFAULT00000001")
        #expect(defaultProfile.region() == "eu-west-1")
        let deploy = try await ProfileCredentialProvider(environment: base.merging(["AWS_PROFILE": "deploy"]) { $1 })
            .credentials(logger: logger)
        #expect(deploy.accessKeyID == "AKIADEPLOY000000001" && deploy.sessionToken == "deploytoken")
        let configOnly = ProfileCredentialProvider(profile: "onlyconfig", environment: base)
        #expect(try await configOnly.credentials(logger: logger).secretAccessKey == "configsecret")
        #expect(configOnly.region() == "ap-northeast-2")
        let assumer = await #expect(throws: AWSError.self) {
            try await ProfileCredentialProvider(profile: "assumer", environment: base).credentials(logger: logger)
        }
        #expect(assumer?.message.contains("role assumption") == true)
        await #expect(throws: AWSError.self) {
            try await ProfileCredentialProvider(profile: "missing", environment: base).credentials(logger: logger)
        }
        // HOME without AWS_* variables: ~/.aws/credentials.
        let home = try TemporaryDirectory(prefix: "shipshape-aws-home")
        defer { home.remove() }
        try home.write("[default]\naws_access_key_id = AKIAHOME00000000001\naws_secret_access_key = h\n", to: ".aws/credentials")
        #expect(
            try await ProfileCredentialProvider(environment: ["HOME": home.path]).credentials(logger: logger).accessKeyID
                == "AKIAHOME00000000001")
    }

    @Test("IMDSv2 against moto: token, role, credentials; cached until close to expiry")
    func imds() async throws {
        try await MotoSlots.with { try await imdsBody() }
    }

    private func imdsBody() async throws {
        let moto = try await MotoServer.start()
        let proxy = try await AWSFaultProxy.start(upstream: moto.endpoint)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let clock = MutableClock(Date())
            let provider = IMDSCredentialProvider(
                httpClient: http, environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": proxy.endpoint.absoluteString],
                timeout: .seconds(30), now: { clock.now })
            let first = try await provider.credentials(logger: logger)
            #expect(first.accessKeyID == "test-key")
            #expect(first.sessionToken == "test-session-token")
            #expect(first.source == "imds role default-role")
            #expect(first.expiration != nil)
            #expect(!first.description.contains("test-secret-key"))
            #expect(
                proxy.actions == [
                    "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
                    "GET /latest/meta-data/iam/security-credentials/default-role",
                ])
            _ = try await provider.credentials(logger: logger)
            #expect(proxy.calls.count == 3, "cached credentials must not be fetched again")
            // Move the clock to 4 minutes before expiry: inside the 5-minute refresh margin.
            clock.now = try #require(first.expiration).addingTimeInterval(-240)
            _ = try await provider.credentials(logger: logger)
            #expect(proxy.calls.count > 3, "credentials close to expiry must be fetched again")
            #expect(
                proxy.actions.suffix(2) == [
                    "GET /latest/meta-data/iam/security-credentials/",
                    "GET /latest/meta-data/iam/security-credentials/default-role",
                ])

            // The chain falls through empty environment and profiles to IMDS.
            let chain = CredentialChain.default(
                httpClient: http,
                environment: [
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT": moto.endpoint.absoluteString, "HOME": "/nonexistent-shipshape",
                ], imdsTimeout: .seconds(30))
            #expect(try await chain.credentials(logger: logger).source == "imds role default-role")
            let none = CredentialChain.default(
                httpClient: http, environment: ["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-shipshape"])
            let error = await #expect(throws: AWSError.self) { try await none.credentials(logger: logger) }
            #expect(error?.message.contains("AWS_ACCESS_KEY_ID") == true)
            #expect(error?.message.contains("AWS_EC2_METADATA_DISABLED") == true)
        } catch {
            try? await http.shutdown()
            await proxy.stop()
            await moto.stop()
            throw error
        }
        try await http.shutdown()
        await proxy.stop()
        await moto.stop()
    }
}

/// A clock a test moves by hand.
final class MutableClock: Sendable {
    private let value: Mutex<Date>
    init(_ start: Date) { value = Mutex(start) }
    var now: Date {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
