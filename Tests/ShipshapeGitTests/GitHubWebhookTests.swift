import Foundation
import ShipshapeGit
import ShipshapeTesting
import Testing

@Suite("GitHub webhook verification and matching")
struct GitHubWebhookTests {
    static let secret = "s3cret-\(UInt32.random(in: 0...UInt32.max))"

    static func pushBody(ref: String = "refs/heads/main", fullName: String = "acme/config") -> [UInt8] {
        Array(
            """
            {"ref":"\(ref)","before":"\(String(repeating: "1", count: 40))","after":"\(String(repeating: "a", count: 40))",
             "created":false,"deleted":false,"forced":true,
             "repository":{"id":1,"full_name":"\(fullName)","clone_url":"https://github.com/\(fullName).git",
               "ssh_url":"git@github.com:\(fullName).git","html_url":"https://github.com/\(fullName)"},
             "commits":[{"id":"\(String(repeating: "a", count: 40))","message":"deploy"}]}
            """.utf8)
    }

    @Test("GitHub's documented example signature verifies")
    func documentedExample() throws {
        // From docs.github.com "Validating webhook deliveries".
        let webhook = GitHubWebhook(secret: Array("It's a Secret to Everybody".utf8))
        let body = Array("Hello, World!".utf8)
        let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(webhook.signature(for: body) == expected)
        try webhook.verify(signature: expected, body: body)
    }

    @Test("a push signed with the secret (by openssl) is accepted and decoded")
    func validPush() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-webhook")
        defer { directory.remove() }
        let secretFile = try directory.write(Self.secret + "\n", to: "secret", mode: 0o600)
        let webhook = try GitHubWebhook(secretFile: secretFile)
        let body = Self.pushBody()
        let bodyFile = directory.appending("body.json")
        try Data(body).write(to: URL(fileURLWithPath: bodyFile))
        let openssl = try await GitToolRunner.run(["openssl", "dgst", "-sha256", "-hmac", Self.secret, "-r", bodyFile])
        let hex = try #require(openssl.stdout.split(separator: " ").first)
        let event = try webhook.event(name: "push", signature: "sha256=\(hex)", body: body)
        guard case .push(let push) = event else {
            Issue.record("expected a push, got \(event)")
            return
        }
        #expect(push.repositoryFullName == "acme/config")
        #expect(push.ref == "refs/heads/main")
        #expect(push.after == String(repeating: "a", count: 40))
        #expect(push.forced)
        #expect(!push.deleted)
    }

    @Test("ping is answered; other events are reported by name")
    func pingAndOthers() throws {
        let webhook = GitHubWebhook(secret: Array(Self.secret.utf8))
        let ping = Array(#"{"zen":"Keep it logically awesome.","hook_id":42,"hook":{}}"#.utf8)
        #expect(try webhook.event(name: "ping", signature: webhook.signature(for: ping), body: ping) == .ping(hookID: 42, zen: "Keep it logically awesome."))
        let issue = Array(#"{"action":"opened"}"#.utf8)
        #expect(try webhook.event(name: "issues", signature: webhook.signature(for: issue), body: issue) == .other("issues"))
    }

    @Test("forged, missing and malformed signatures, and oversized bodies, are refused")
    func refusals() throws {
        let webhook = GitHubWebhook(secret: Array(Self.secret.utf8), maximumBodySize: 4096)
        let body = Self.pushBody()
        let forger = GitHubWebhook(secret: Array("not-the-secret".utf8))

        let forged = #expect(throws: GitHubWebhookError.self) {
            try webhook.event(name: "push", signature: forger.signature(for: body), body: body)
        }
        #expect(forged?.code == .invalidSignature)
        #expect(forged?.httpStatus == 401)
        #expect(forged?.description.contains(Self.secret) == false)

        var tampered = body
        tampered[tampered.count / 2] ^= 0x01
        let altered = #expect(throws: GitHubWebhookError.self) {
            try webhook.event(name: "push", signature: webhook.signature(for: body), body: tampered)
        }
        #expect(altered?.code == .invalidSignature)

        let missing = #expect(throws: GitHubWebhookError.self) { try webhook.event(name: "push", signature: nil, body: body) }
        #expect(missing?.code == .missingSignature)
        let sha1 = #expect(throws: GitHubWebhookError.self) {
            try webhook.event(name: "push", signature: "sha1=0123456789abcdef0123456789abcdef01234567", body: body)
        }
        #expect(sha1?.code == .invalidSignature)

        let big = [UInt8](repeating: 0x20, count: 4097)
        let tooLarge = #expect(throws: GitHubWebhookError.self) {
            try webhook.event(name: "push", signature: webhook.signature(for: big), body: big)
        }
        #expect(tooLarge?.code == .bodyTooLarge)
        #expect(tooLarge?.httpStatus == 413)

        let garbage = Array("{not json".utf8)
        let malformed = #expect(throws: GitHubWebhookError.self) {
            try webhook.event(name: "push", signature: webhook.signature(for: garbage), body: garbage)
        }
        #expect(malformed?.code == .malformedPayload)
    }

    @Test("a push matches only the configured repository and the followed ref")
    func matching() throws {
        let push = GitHubPush(
            repositoryFullName: "Acme/Config", cloneURL: "https://github.com/Acme/Config.git",
            sshURL: "git@github.com:Acme/Config.git", htmlURL: "https://github.com/Acme/Config", ref: "refs/heads/main",
            after: String(repeating: "a", count: 40))
        #expect(push.matches(repositoryURL: "https://github.com/acme/config.git", following: .branch("main")))
        #expect(push.matches(repositoryURL: "https://x-access-token:t@github.com/acme/config", following: .branch("main")))
        #expect(push.matches(repositoryURL: "git@github.com:acme/config.git", following: .branch("main")))
        #expect(push.matches(repositoryURL: "ssh://git@github.com/acme/config.git", following: .branch("main")))
        #expect(!push.matches(repositoryURL: "https://github.com/acme/config.git", following: .branch("production")))
        #expect(!push.matches(repositoryURL: "https://github.com/acme/other.git", following: .branch("main")))
        #expect(!push.matches(repositoryURL: "https://gitlab.com/acme/config.git", following: .branch("main")))
        #expect(!push.matches(repositoryURL: "file:///srv/config.git", following: .branch("main")))

        var tag = push
        tag.ref = "refs/tags/v1.4.0"
        #expect(tag.matches(repositoryURL: "https://github.com/acme/config", following: .semver(try SemanticVersionRange("^1.0"))))
        #expect(!tag.matches(repositoryURL: "https://github.com/acme/config", following: .semver(try SemanticVersionRange("^2.0"))))
        #expect(tag.matches(repositoryURL: "https://github.com/acme/config", following: .tag("v1.4.0")))
        #expect(!tag.matches(repositoryURL: "https://github.com/acme/config", following: .branch("main")))
    }
}
