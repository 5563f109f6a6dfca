import Foundation
public import Logging
public import ShipshapeDocker

/// Registry credentials from a file in Docker's `config.json` form:
///
/// ```json
/// {"auths": {"registry.example.com:5000": {"auth": "<base64 of user:password>"}}}
/// ```
///
/// (`username` and `password` instead of `auth` work too). The file is read at each pull, so a
/// rotated password needs no restart. Keys may carry a scheme (`https://host`); they match the
/// image's registry host. Nothing from the file ever appears in an error or a log.
public struct RegistryCredentialsFile: RegistryCredentialsProvider {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func credentials(forRegistry registry: String, logger: Logger) async throws -> RegistryAuth? {
        struct File: Decodable {
            struct Entry: Decodable {
                var auth: String?
                var username: String?
                var password: String?
            }
            var auths: [String: Entry]?
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RegistryCredentialsError("cannot read registry credentials file \(path)")
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw RegistryCredentialsError(
                "registry credentials file \(path) is not Docker config JSON ({\"auths\": {HOST: {\"auth\": …}}})")
        }
        guard let (_, entry) = (file.auths ?? [:]).first(where: { Self.host(of: $0.key) == registry }) else {
            return nil
        }
        if let username = entry.username, let password = entry.password {
            return RegistryAuth(username: username, password: password, serverAddress: registry)
        }
        guard let auth = entry.auth, let decoded = Data(base64Encoded: auth).flatMap({ String(data: $0, encoding: .utf8) }),
            let colon = decoded.firstIndex(of: ":")
        else {
            throw RegistryCredentialsError(
                "the entry for \(registry) in \(path) has neither username/password nor an auth of base64(user:password)")
        }
        return RegistryAuth(
            username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]),
            serverAddress: registry)
    }

    /// `host[:port]` of a key that may be a URL (`https://index.docker.io/v1/`).
    static func host(of key: String) -> String {
        var rest = Substring(key)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        return rest == "index.docker.io" ? "docker.io" : String(rest)
    }
}

/// Registry credentials could not be had. Never carries a credential.
public struct RegistryCredentialsError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
