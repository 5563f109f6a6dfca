import Foundation
import ShipshapeAWS
import Testing

/// One case of the AWS SigV4 test suite: its context, the raw request, and the expected outputs.
struct SigV4SuiteCase: CustomTestStringConvertible, Sendable {
    let name: String
    var testDescription: String { name }

    static var all: [SigV4SuiteCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("aws-sigv4").path)) ?? []
        return names.filter { $0 != "LICENSE" }.sorted().map(SigV4SuiteCase.init(name:))
    }

    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }
        var credentials: Credentials
        var expiration_in_seconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
        var omit_session_token: Bool?
    }

    func file(_ name: String) throws -> String { try Fixtures.text("aws-sigv4/\(self.name)/\(name)") }

    func context() throws -> Context {
        try JSONDecoder().decode(Context.self, from: Data(try file("context.json").utf8))
    }

    /// Parses `request.txt`: request line, headers (with folded continuation lines), blank line, body.
    func request() throws -> SigV4Request {
        let raw = try file("request.txt")
        let (head, body): (Substring, Substring) = {
            if let range = raw.range(of: "\n\n") { return (raw[..<range.lowerBound], raw[range.upperBound...]) }
            return (raw[...], "")
        }()
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let requestLine = lines.removeFirst()
        // The target may contain spaces (`/example space/`): it sits between the first space and " HTTP/".
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(
            requestLine.dropFirst(method.count + 1).prefix(upTo: requestLine.range(of: " HTTP/")!.lowerBound))
        var headers: [SigV4Request.Header] = []
        for line in lines {
            if line.first == " " || line.first == "\t" {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                let colon = line.firstIndex(of: ":")!
                headers.append(.init(String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query: [SigV4Request.QueryItem] = parts.count > 1
            ? parts[1].split(separator: "&").map { pair in
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (s: Substring) in String(s).removingPercentEncoding ?? String(s) }
                return .init(decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
            } : []
        return SigV4Request(method: method, path: String(parts[0]), query: query, headers: headers, body: Array(body.utf8))
    }
}

@Suite("SigV4 test suite (awslabs/aws-c-auth)")
struct SigV4SuiteTests {
    @Test("the fixtures are present")
    func fixturesPresent() {
        #expect(SigV4SuiteCase.all.count == 38)
    }

    @Test("header signing", arguments: SigV4SuiteCase.all)
    func headerSigning(_ suiteCase: SigV4SuiteCase) throws {
        let context = try suiteCase.context()
        let credentials = AWSCredentials(
            accessKeyID: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
            sessionToken: context.credentials.token)
        let date = try Date(context.timestamp, strategy: .iso8601)
        let signer = SigV4Signer(region: context.region, service: context.service)
        let signature = signer.sign(
            try suiteCase.request(), credentials: credentials, date: date,
            options: .init(
                normalizePath: context.normalize, addContentSHA256Header: context.sign_body,
                omitSessionTokenFromSignature: context.omit_session_token ?? false))
        #expect(signature.canonicalRequest == (try suiteCase.file("header-canonical-request.txt")))
        #expect(signature.stringToSign == (try suiteCase.file("header-string-to-sign.txt")))
        #expect(signature.signature == (try suiteCase.file("header-signature.txt")))
        let authorization = signature.signedRequest.headerValues("Authorization").first
        let expectedAuthorization = try suiteCase.file("header-signed-request.txt")
            .split(separator: "\n").first { $0.hasPrefix("Authorization:") }?.dropFirst("Authorization:".count)
        #expect(authorization == expectedAuthorization.map(String.init))
    }

    @Test("query (presigned) signing", arguments: SigV4SuiteCase.all)
    func querySigning(_ suiteCase: SigV4SuiteCase) throws {
        let context = try suiteCase.context()
        let credentials = AWSCredentials(
            accessKeyID: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
            sessionToken: context.credentials.token)
        let date = try Date(context.timestamp, strategy: .iso8601)
        let signer = SigV4Signer(region: context.region, service: context.service)
        let signature = signer.presign(
            try suiteCase.request(), credentials: credentials, date: date, expires: context.expiration_in_seconds,
            options: .init(
                normalizePath: context.normalize,
                omitSessionTokenFromSignature: context.omit_session_token ?? false))
        #expect(signature.canonicalRequest == (try suiteCase.file("query-canonical-request.txt")))
        #expect(signature.stringToSign == (try suiteCase.file("query-string-to-sign.txt")))
        #expect(signature.signature == (try suiteCase.file("query-signature.txt")))
    }

    @Test("credentials never show their secret or token in descriptions")
    func credentialsAreMasked() {
        let credentials = AWSCredentials(
            accessKeyID: "AKIDEXAMPLE12345", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            sessionToken: "SESSIONTOKENVALUE")
        for text in [credentials.description, String(reflecting: credentials), "\(credentials)"] {
            #expect(!text.contains("wJalrXUtnFEMI"))
            #expect(!text.contains("SESSIONTOKENVALUE"))
            #expect(!text.contains("AKIDEXAMPLE12345"))
            #expect(text.contains("AKID"))
        }
    }
}
