public import Logging
public import ShipshapeDocker

/// Supplies the credentials for pulling from a registry (the `X-Registry-Auth` of a pull).
///
/// The controller plugs in ECR (`ECRCredentialsProvider` over `GetAuthorizationToken`) and plain
/// registries (`RegistryCredentialsFile`); `RegistryCredentialsChain` asks several in order.
public protocol RegistryCredentialsProvider: Sendable {
    /// The credentials for `registry` (`host[:port]`, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com`,
    /// or `docker.io` for Docker Hub); nil to pull anonymously.
    func credentials(forRegistry registry: String, logger: Logger) async throws -> RegistryAuth?
}

/// Asks each provider in turn and uses the first credentials one returns.
public struct RegistryCredentialsChain: RegistryCredentialsProvider {
    public let providers: [any RegistryCredentialsProvider]

    /// Creates a chain; earlier providers win.
    public init(_ providers: [any RegistryCredentialsProvider]) {
        self.providers = providers
    }

    public func credentials(forRegistry registry: String, logger: Logger) async throws -> RegistryAuth? {
        for provider in providers {
            if let auth = try await provider.credentials(forRegistry: registry, logger: logger) { return auth }
        }
        return nil
    }
}
