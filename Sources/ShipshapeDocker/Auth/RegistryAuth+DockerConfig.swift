import Foundation

extension RegistryAuth {
    /// Credentials for `registry` from a docker CLI configuration (`config.json`, as `docker login`
    /// writes it): the `auths` entry whose key names that registry (with or without scheme and
    /// path), holding `auth` (base64 `user:password`), `username` + `password`, or `identitytoken`.
    ///
    /// Returns nil when the file has no entry for the registry. Credential helpers (`credsStore`,
    /// `credHelpers`) are not run: keep such credentials in a file of their own.
    /// - Throws: `DockerError` `invalidCredentials` when the JSON or the entry is malformed; the
    ///   message never contains the secret.
    public static func fromDockerConfig(_ json: Data, registry: String) throws -> RegistryAuth? {
        struct Config: Decodable {
            struct Entry: Decodable {
                var auth: String?
                var username: String?
                var password: String?
                var identitytoken: String?
            }
            var auths: [String: Entry]?
        }
        let resource = "docker config credentials for \(registry)"
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: json)
        } catch {
            throw DockerError(
                code: .invalidCredentials, operation: "read", resource: resource,
                message: "the file is not a docker config.json (expected {\"auths\": {\"host\": {\"auth\": …}}})")
        }
        let wanted = ECRAuthorization.host(of: registry)
        guard let (key, entry) = (config.auths ?? [:]).first(where: { ECRAuthorization.host(of: $0.key) == wanted })
        else {
            return nil
        }
        let server = ECRAuthorization.host(of: key)
        if let token = entry.identitytoken, !token.isEmpty {
            return RegistryAuth(identityToken: token, serverAddress: server)
        }
        if let username = entry.username, let password = entry.password, !username.isEmpty {
            return RegistryAuth(username: username, password: password, serverAddress: server)
        }
        if let auth = entry.auth, !auth.isEmpty {
            guard let data = Data(base64Encoded: auth), let text = String(data: data, encoding: .utf8),
                let colon = text.firstIndex(of: ":"), colon != text.startIndex
            else {
                throw DockerError(
                    code: .invalidCredentials, operation: "read", resource: resource,
                    message: "the auth entry is not base64 of user:password")
            }
            return RegistryAuth(
                username: String(text[..<colon]), password: String(text[text.index(after: colon)...]),
                serverAddress: server)
        }
        throw DockerError(
            code: .invalidCredentials, operation: "read", resource: resource,
            message:
                "the entry holds no auth, username/password or identitytoken (credential helpers are not supported)")
    }

    /// `fromDockerConfig(_:registry:)` on the file at `path`, read synchronously (a small file;
    /// call it when loading configuration, not on a hot path).
    public static func fromDockerConfigFile(atPath path: String, registry: String) throws -> RegistryAuth? {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DockerError(
                code: .invalidCredentials, operation: "read", resource: path,
                message: "cannot read the registry credentials file; check that it exists and is readable")
        }
        return try fromDockerConfig(data, registry: registry)
    }
}
