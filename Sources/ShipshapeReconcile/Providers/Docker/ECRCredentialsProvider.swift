import Foundation
public import Logging
public import ShipshapeDocker

/// Registry credentials for Amazon ECR, from `GetAuthorizationToken`, cached until shortly before
/// they expire.
///
/// `fetch` calls ECR (the controller passes the AWS client's `GetAuthorizationToken`) and returns the
/// decoded answer (`ECRAuthorization.decode(getAuthorizationTokenResponse:)`). Registries that are not
/// ECR hosts (`*.dkr.ecr.*.amazonaws.com`) get nil without a call.
public actor ECRCredentialsProvider: RegistryCredentialsProvider {
    private let fetch: @Sendable () async throws -> [ECRAuthorization]
    private let refreshMargin: Duration
    private var cached: [String: ECRAuthorization] = [:]

    /// - Parameters:
    ///   - refreshMargin: fetch again when the cached token expires within this time (default 15 min).
    ///   - fetch: calls `GetAuthorizationToken`.
    public init(
        refreshMargin: Duration = .seconds(15 * 60), fetch: @escaping @Sendable () async throws -> [ECRAuthorization]
    ) {
        self.fetch = fetch
        self.refreshMargin = refreshMargin
    }

    /// Whether `registry` is an ECR registry host.
    public static func isECR(_ registry: String) -> Bool {
        let parts = registry.split(separator: ".")
        return parts.count >= 6 && parts[1] == "dkr" && parts[2] == "ecr" && registry.hasSuffix(".amazonaws.com")
    }

    public func credentials(forRegistry registry: String, logger: Logger) async throws -> RegistryAuth? {
        guard Self.isECR(registry) else { return nil }
        if let entry = cached[registry], !entry.needsRefresh(at: Date(), margin: refreshMargin) { return entry.auth }
        logger.info("Requesting an ECR authorization token", metadata: ["registry": "\(registry)"])
        let answer: [ECRAuthorization]
        do {
            answer = try await fetch()
        } catch {
            throw RegistryCredentialsError("ECR GetAuthorizationToken for \(registry) failed: \(error)")
        }
        for entry in answer { cached[entry.registry] = entry }
        guard let entry = cached[registry] else {
            throw RegistryCredentialsError(
                "ECR GetAuthorizationToken returned no token for \(registry) (returned: \(answer.map(\.registry).joined(separator: ", ")))"
            )
        }
        return entry.auth
    }
}
