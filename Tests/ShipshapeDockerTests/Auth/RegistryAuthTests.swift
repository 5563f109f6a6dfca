import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ShipshapeDocker
import ShipshapeTesting
import Testing

@Suite("Registry credentials", .timeLimit(.minutes(10)))
struct RegistryAuthTests {
    @Test("pulls from an htpasswd-protected registry succeed with the right credentials only")
    func protectedRegistry() async throws {
        let credentials = LocalRegistry.Credentials(username: "shipshape", password: "pw-\(UUID().uuidString)")
        let registry = try await LocalRegistry.start(credentials: credentials)
        do {
            try await DockerTestSupport.withResources { client, resources in
                let local = "\(TestImages.uniqueName("shipshape-test-src")):1.0.0"
                await resources.image(local)
                try await TestImages.buildHTTPServer(local, version: "1.0.0")
                let remote = try await registry.push(local, as: TestImages.uniqueName("private-api"), tag: "1.0.0")
                await resources.image(remote)

                let wrong = RegistryAuth(
                    username: "shipshape", password: "not-the-password", serverAddress: registry.address)
                let refused = await #expect(throws: DockerError.self) {
                    try await client.pullImage(remote, auth: wrong)
                }
                #expect(refused?.code == .unauthorized)
                #expect(refused?.description.contains(remote) == true)
                #expect(refused?.description.contains("not-the-password") == false)

                let anonymous = await #expect(throws: DockerError.self) {
                    try await client.pullImage(remote, auth: nil)
                }
                #expect(anonymous?.code == .unauthorized)
                #expect(try await client.inspectImage(remote) == nil)

                let right = RegistryAuth(
                    username: credentials.username, password: credentials.password, serverAddress: registry.address)
                try await client.pullImage(remote, auth: right)
                #expect(try await client.inspectImage(remote) != nil)

                // The credentials file `docker login` wrote serves as well.
                try await client.removeImage(remote)
                let fromFile = try #require(
                    try RegistryAuth.fromDockerConfigFile(
                        atPath: "\(registry.dockerConfigDirectory)/config.json", registry: registry.address))
                #expect(fromFile == right)
                try await client.pullImage(remote, auth: fromFile)
                #expect(try await client.inspectImage(remote) != nil)
            }
        } catch {
            await registry.stop()
            throw error
        }
        await registry.stop()
    }

    @Test("X-Registry-Auth is Docker's auth JSON in base64url; descriptions hide the secret")
    func headerValue() throws {
        let auth = RegistryAuth(username: "AWS", password: "p+/w?d>>", serverAddress: "127.0.0.1:5000")
        let header = auth.headerValue
        #expect(!header.contains("+") && !header.contains("/"))
        let standard = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let json = try #require(Data(base64Encoded: standard))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: String])
        #expect(object == ["username": "AWS", "password": "p+/w?d>>", "serveraddress": "127.0.0.1:5000"])
        #expect(!auth.description.contains("p+/w"))
        #expect(!String(reflecting: auth).contains("p+/w"))

        let token = RegistryAuth(identityToken: "refresh-token", serverAddress: "registry.example")
        let tokenJSON = try #require(
            Data(
                base64Encoded: token.headerValue.replacingOccurrences(of: "-", with: "+").replacingOccurrences(
                    of: "_", with: "/")))
        let tokenObject = try #require(try JSONSerialization.jsonObject(with: tokenJSON) as? [String: String])
        #expect(tokenObject == ["identitytoken": "refresh-token", "serveraddress": "registry.example"])
        #expect(!token.description.contains("refresh-token"))
    }

    @Test("an ECR GetAuthorizationToken answer becomes credentials for its registry")
    func ecrAnswer() throws {
        let password = "eyJwYXlsb2FkIjoiZmFrZSJ9-ecr-password"
        let token = Data("AWS:\(password)".utf8).base64EncodedString()
        let answer = """
            {"authorizationData":[{"authorizationToken":"\(token)","expiresAt":1.7643e9,\
            "proxyEndpoint":"https://123456789012.dkr.ecr.ap-northeast-2.amazonaws.com"}]}
            """
        let decoded = try ECRAuthorization.decode(getAuthorizationTokenResponse: Data(answer.utf8))
        let entry = try #require(decoded.first)
        #expect(decoded.count == 1)
        #expect(entry.registry == "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com")
        #expect(
            entry.auth
                == RegistryAuth(
                    username: "AWS", password: password,
                    serverAddress: "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com"))
        #expect(entry.expiresAt == Date(timeIntervalSince1970: 1.7643e9))
        #expect(entry.matches(imageReference: "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/community-api:1.4.2"))
        #expect(!entry.matches(imageReference: "127.0.0.1:5000/community-api:1.4.2"))
        #expect(entry.needsRefresh(at: Date(timeIntervalSince1970: 1.7643e9 - 60)))
        #expect(!entry.needsRefresh(at: Date(timeIntervalSince1970: 1.7643e9 - 3600)))
        #expect(!entry.description.contains(password))
    }

    @Test("docker config files: auth, username/password, identity token, other registries, malformed entries")
    func dockerConfigFiles() throws {
        let basic = Data("u:p:with:colons".utf8).base64EncodedString()
        let config = """
            {"auths": {"https://127.0.0.1:5000/v2/": {"auth": "\(basic)"},
                       "registry.example": {"username": "bob", "password": "pw"},
                       "token.example": {"identitytoken": "tok"},
                       "broken.example": {"auth": "bm9jb2xvbg=="},
                       "helper.example": {}},
             "credsStore": "desktop"}
            """
        let data = Data(config.utf8)
        #expect(
            try RegistryAuth.fromDockerConfig(data, registry: "127.0.0.1:5000")
                == RegistryAuth(username: "u", password: "p:with:colons", serverAddress: "127.0.0.1:5000"))
        #expect(
            try RegistryAuth.fromDockerConfig(data, registry: "https://registry.example")
                == RegistryAuth(username: "bob", password: "pw", serverAddress: "registry.example"))
        #expect(
            try RegistryAuth.fromDockerConfig(data, registry: "token.example")
                == RegistryAuth(identityToken: "tok", serverAddress: "token.example"))
        #expect(try RegistryAuth.fromDockerConfig(data, registry: "elsewhere.example") == nil)
        let broken = #expect(throws: DockerError.self) {
            try RegistryAuth.fromDockerConfig(data, registry: "broken.example")
        }
        #expect(broken?.code == .invalidCredentials)
        #expect(broken?.description.contains("bm9jb2xvbg") == false)
        #expect(throws: DockerError.self) { try RegistryAuth.fromDockerConfig(data, registry: "helper.example") }
        #expect(throws: DockerError.self) { try RegistryAuth.fromDockerConfig(Data("[]".utf8), registry: "x") }
        #expect(throws: DockerError.self) {
            try RegistryAuth.fromDockerConfigFile(atPath: "/nonexistent/config.json", registry: "x")
        }
    }

    @Test("an ECR token from moto's GetAuthorizationToken pulls from a registry protected by that password")
    func ecrTokenFromMoto() async throws {
        // moto plays ECR's API; a local registry protected by the token's password plays ECR's registry.
        let moto = try await MotoServer.start()
        var registry: LocalRegistry?
        do {
            var request = HTTPClientRequest(url: moto.endpoint.absoluteString)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-amz-json-1.1")
            request.headers.add(
                name: "X-Amz-Target", value: "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken")
            // moto routes by the credential scope and does not check the signature by default; the
            // signed call itself belongs to the AWS client's tests.
            request.headers.add(
                name: "Authorization",
                value:
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00"
            )
            request.body = .bytes(ByteBuffer(string: "{}"))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .ok, "moto answered \(String(buffer: body))")

            let entry = try #require(
                try ECRAuthorization.decode(getAuthorizationTokenResponse: Data(buffer: body)).first)
            #expect(entry.registry.hasSuffix(".dkr.ecr.us-east-1.amazonaws.com"))
            #expect(entry.expiresAt != nil)
            guard case .password(let username, let password) = entry.auth.credential else {
                Issue.record("an ECR token decodes to a username and password")
                return
            }
            #expect(username == "AWS")

            let started = try await LocalRegistry.start(credentials: .init(username: username, password: password))
            registry = started
            try await DockerTestSupport.withResources { client, resources in
                let local = "\(TestImages.uniqueName("shipshape-test-src")):1"
                await resources.image(local)
                try await TestImages.buildHTTPServer(local, version: "1")
                let remote = try await started.push(local, as: TestImages.uniqueName("ecr-api"), tag: "1")
                await resources.image(remote)
                // The daemon sends the header's credentials to the image's registry, whatever the
                // server address says; keep it consistent anyway.
                let auth = RegistryAuth(username: username, password: password, serverAddress: started.address)
                try await client.pullImage(remote, auth: auth)
                #expect(try await client.inspectImage(remote) != nil)
            }
        } catch {
            await registry?.stop()
            await moto.stop()
            throw error
        }
        await registry?.stop()
        await moto.stop()
    }

    @Test("a malformed ECR token is an invalidCredentials error that does not echo the token")
    func ecrMalformed() {
        let error = #expect(throws: DockerError.self) {
            try ECRAuthorization(
                authorizationToken: "bm90LWEtcGFpcg==", proxyEndpoint: "https://r.example", expiresAt: nil)
        }
        #expect(error?.code == .invalidCredentials)
        #expect(error?.description.contains("bm90LWEtcGFpcg") == false)
        #expect(throws: DockerError.self) {
            try ECRAuthorization.decode(getAuthorizationTokenResponse: Data("<xml/>".utf8))
        }
    }
}
