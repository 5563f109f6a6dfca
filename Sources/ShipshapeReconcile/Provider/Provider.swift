public import Logging
public import ShipshapeManifest

/// The only place that knows a backend (the Docker daemon, EC2, RDS, ECS, …).
///
/// A provider turns its part of an environment into desired resources, observes the live state of
/// every resource it manages in one batched pass per kind, and carries out single changes. `apply`
/// is idempotent, so a retry after a crash is safe.
public protocol Provider: Sendable {
    /// A short name for logs and metrics: `docker`, `ec2`, `rds`, `ecs`.
    var name: String { get }
    /// The resource kinds this provider owns.
    var kinds: Set<ResourceKind> { get }
    /// The resources of `environment` this provider manages, as the manifests want them.
    func desiredResources(for environment: Environment) throws -> [DesiredResource]
    /// Reads the live state of every resource this provider manages in `scope`.
    func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource]
    /// Carries out one change; idempotent, so a retry after a crash is safe.
    func apply(_ change: Change, context: ApplyContext) async throws
}

/// What a provider observes: one environment (and, for AWS, its region).
public struct Scope: Sendable, Hashable {
    public var environment: String
    public var region: String?

    public init(environment: String, region: String? = nil) {
        self.environment = environment
        self.region = region
    }
}

/// What a provider needs to carry out a change.
public struct ApplyContext: Sendable {
    public var environment: String
    /// The revision whose manifests the change comes from.
    public var revision: String
    public var logger: Logger

    public init(environment: String, revision: String, logger: Logger) {
        self.environment = environment
        self.revision = revision
        self.logger = logger
    }
}
