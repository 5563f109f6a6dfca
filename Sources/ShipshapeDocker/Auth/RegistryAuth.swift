import Foundation

/// Credentials for one registry, sent to the daemon as the `X-Registry-Auth` header of a pull.
///
/// Either a username and password, or an identity (OAuth refresh) token. `description` and
/// `debugDescription` never show the secret.
public struct RegistryAuth: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret part.
    public enum Credential: Sendable, Hashable {
        case password(username: String, password: String)
        case identityToken(String)
    }

    /// The secret: a password or an identity token.
    public var credential: Credential
    /// The registry host (and port), e.g. `"123456789012.dkr.ecr.us-east-1.amazonaws.com"` or `"127.0.0.1:5000"`.
    public var serverAddress: String

    public init(username: String, password: String, serverAddress: String) {
        credential = .password(username: username, password: password)
        self.serverAddress = serverAddress
    }

    public init(identityToken: String, serverAddress: String) {
        credential = .identityToken(identityToken)
        self.serverAddress = serverAddress
    }

    /// The value of `X-Registry-Auth`: Docker's auth config JSON, base64url-encoded.
    public var headerValue: String {
        struct AuthConfig: Encodable {
            var username: String?
            var password: String?
            var identitytoken: String?
            var serveraddress: String
        }
        let config: AuthConfig
        switch credential {
        case .password(let username, let password):
            config = AuthConfig(username: username, password: password, serveraddress: serverAddress)
        case .identityToken(let token):
            config = AuthConfig(identitytoken: token, serveraddress: serverAddress)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding a struct of strings cannot fail.
        let json = (try? encoder.encode(config)) ?? Data("{}".utf8)
        return json.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// `user@server` or `token@server`; never the secret.
    public var description: String {
        switch credential {
        case .password(let username, _): "RegistryAuth(\(username)@\(serverAddress))"
        case .identityToken: "RegistryAuth(identity token@\(serverAddress))"
        }
    }

    public var debugDescription: String { description }
}
