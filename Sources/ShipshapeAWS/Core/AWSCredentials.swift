import Foundation

/// A set of AWS credentials: an access key pair and, for temporary credentials, a session token.
///
/// `description` never shows the secret or the token, so credentials are safe to log or put in an
/// error by accident.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The access key id (`AKIA…` for long-term keys, `ASIA…` for temporary ones).
    public var accessKeyID: String
    /// The secret access key. Never logged.
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `X-Amz-Security-Token`. Never logged.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?
    /// Where the credentials came from (`environment`, `profile default`, `imds role web`…), for logs.
    public var source: String

    /// Creates credentials from their parts.
    public init(
        accessKeyID: String,
        secretAccessKey: String,
        sessionToken: String? = nil,
        expiration: Date? = nil,
        source: String = "static"
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    /// The access key id with all but its first four and last four characters masked.
    public var maskedAccessKeyID: String {
        guard accessKeyID.count > 8 else { return String(repeating: "*", count: accessKeyID.count) }
        return String(accessKeyID.prefix(4)) + String(repeating: "*", count: accessKeyID.count - 8) + String(accessKeyID.suffix(4))
    }

    public var description: String {
        var parts = ["accessKeyID: \(maskedAccessKeyID)", "secretAccessKey: ****", "source: \(source)"]
        if sessionToken != nil { parts.append("sessionToken: ****") }
        if let expiration { parts.append("expiration: \(expiration.formatted(.iso8601))") }
        return "AWSCredentials(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    /// `dump()` and debuggers see the masked form too.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": maskedAccessKeyID, "secretAccessKey": "****",
                "sessionToken": sessionToken == nil ? "nil" : "****", "source": source,
            ], displayStyle: .struct)
    }

    /// Whether the credentials expire within `margin` of `now`.
    public func expires(within margin: TimeInterval, of now: Date) -> Bool {
        guard let expiration else { return false }
        return expiration.timeIntervalSince(now) <= margin
    }
}
