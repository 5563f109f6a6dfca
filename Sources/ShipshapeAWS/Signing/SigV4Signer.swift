import Crypto
import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), in header form and in query (presigned) form.
///
/// Follows the rules of the AWS SigV4 test suite (`Tests/ShipshapeAWSTests/Fixtures/aws-sigv4`):
/// headers are lower-cased, their values trimmed and inner whitespace runs collapsed, repeated
/// headers joined with `,`; the path is normalised (dot segments and empty segments removed)
/// unless `normalizePath` is false, and percent-encoded once; query items are sorted by encoded name
/// then value. The signer is a value: give it the region and service, then sign as many requests as
/// you like from any task.
public struct SigV4Signer: Sendable {
    /// How to sign.
    public struct Options: Sendable {
        /// Remove `.`/`..`/empty path segments before encoding (every service but S3).
        public var normalizePath: Bool
        /// Add `X-Amz-Content-SHA256` with the payload hash and sign it (the suite's `sign_body`).
        public var addContentSHA256Header: Bool
        /// Leave the session token out of the signature and add it after signing (the suite's
        /// `omit_session_token`; some services such as IoT want this).
        public var omitSessionTokenFromSignature: Bool

        public init(normalizePath: Bool = true, addContentSHA256Header: Bool = false, omitSessionTokenFromSignature: Bool = false) {
            self.normalizePath = normalizePath
            self.addContentSHA256Header = addContentSHA256Header
            self.omitSessionTokenFromSignature = omitSessionTokenFromSignature
        }
    }

    /// Every intermediate product of a signature, so a test can compare each step.
    public struct Signature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var signedHeaders: String
        /// The request with the signing headers (or query parameters) added.
        public var signedRequest: SigV4Request
    }

    /// The region of the credential scope (`us-east-1`).
    public let region: String
    /// The signing name of the credential scope (`ec2`, `elasticloadbalancing`).
    public let service: String

    /// A signer for `service` (the signing name, e.g. `ec2`, `ecs`, `dynamodb`) in `region`.
    public init(region: String, service: String) {
        self.region = region
        self.service = service
    }

    // MARK: Header signing

    /// Signs `request` by adding `X-Amz-Date`, `X-Amz-Security-Token` (with a session token),
    /// optionally `X-Amz-Content-SHA256`, and `Authorization`.
    public func sign(
        _ request: SigV4Request, credentials: AWSCredentials, date: Date, options: Options = Options()
    ) -> Signature {
        let stamp = Self.timestamps(date)
        var request = request
        let payloadHash = Self.hexSHA256(request.body)
        request.headers.append(.init("X-Amz-Date", stamp.dateTime))
        if options.addContentSHA256Header { request.headers.append(.init("X-Amz-Content-SHA256", payloadHash)) }
        if let token = credentials.sessionToken, !options.omitSessionTokenFromSignature {
            request.headers.append(.init("X-Amz-Security-Token", token))
        }
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let canonicalRequest = [
            request.method,
            Self.canonicalPath(request.path, normalize: options.normalizePath),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(stamp.date)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", stamp.dateTime, scope, Self.hexSHA256(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
        let signature = signatureHex(stringToSign, secret: credentials.secretAccessKey, date: stamp.date)
        if let token = credentials.sessionToken, options.omitSessionTokenFromSignature {
            request.headers.append(.init("X-Amz-Security-Token", token))
        }
        request.headers.append(
            .init(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
            ))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            signedHeaders: signedHeaders, signedRequest: request)
    }

    // MARK: Query signing (presigned requests)

    /// Presigns `request`: the signature goes into the query (`X-Amz-Signature`), valid for `expires`
    /// seconds. Every header of the request is signed.
    public func presign(
        _ request: SigV4Request, credentials: AWSCredentials, date: Date, expires: Int, options: Options = Options()
    ) -> Signature {
        let stamp = Self.timestamps(date)
        var request = request
        let scope = "\(stamp.date)/\(region)/\(service)/aws4_request"
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        request.query.append(.init("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        request.query.append(.init("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"))
        request.query.append(.init("X-Amz-Date", stamp.dateTime))
        request.query.append(.init("X-Amz-SignedHeaders", signedHeaders))
        request.query.append(.init("X-Amz-Expires", String(expires)))
        if let token = credentials.sessionToken, !options.omitSessionTokenFromSignature {
            request.query.append(.init("X-Amz-Security-Token", token))
        }
        let canonicalRequest = [
            request.method,
            Self.canonicalPath(request.path, normalize: options.normalizePath),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            Self.hexSHA256(request.body),
        ].joined(separator: "\n")
        let stringToSign = ["AWS4-HMAC-SHA256", stamp.dateTime, scope, Self.hexSHA256(Array(canonicalRequest.utf8))]
            .joined(separator: "\n")
        let signature = signatureHex(stringToSign, secret: credentials.secretAccessKey, date: stamp.date)
        request.query.append(.init("X-Amz-Signature", signature))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            signedHeaders: signedHeaders, signedRequest: request)
    }

    // MARK: Building blocks

    private func signatureHex(_ stringToSign: String, secret: String, date: String) -> String {
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    static func timestamps(_ date: Date) -> (date: String, dateTime: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let day = pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2)
        return (day, day + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z")
    }

    /// Lower-cased names, sorted; values trimmed with whitespace runs collapsed; repeats joined by `,`.
    static func canonicalHeaders(_ headers: [SigV4Request.Header]) -> (canonical: String, signed: String) {
        var grouped: [String: [String]] = [:]
        for header in headers {
            let value = header.value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                .joined(separator: " ")
            grouped[header.name.lowercased(), default: []].append(value)
        }
        let names = grouped.keys.sorted()
        let canonical = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    static func canonicalPath(_ path: String, normalize: Bool) -> String {
        guard normalize else { return uriEncode(path.isEmpty ? "/" : path, keepSlash: true) }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        var normalized = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/") && !segments.isEmpty { normalized += "/" }
        return uriEncode(normalized, keepSlash: true)
    }

    static func canonicalQuery(_ items: [SigV4Request.QueryItem]) -> String {
        let encoded: [(name: String, value: String)] = items.map { (uriEncode($0.name), uriEncode($0.value)) }
        let sorted = encoded.sorted { (a: (name: String, value: String), b: (name: String, value: String)) -> Bool in
            a.name == b.name ? a.value < b.value : a.name < b.name
        }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Percent-encodes every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`), with
    /// upper-case hex; `/` is kept when `keepSlash` is true.
    public static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if Self.isUnreserved(byte) || (keepSlash && byte == 0x2F) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: true  // A-Z a-z 0-9
        case 0x2D, 0x2E, 0x5F, 0x7E: true  // - . _ ~
        default: false
        }
    }

    static func hexSHA256(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
