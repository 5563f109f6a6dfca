/// The desired state of one environment: everything under `spec:`.
public struct EnvironmentSpec: Sendable, Hashable {
    /// AWS region for this environment's AWS resources (`ap-northeast-2`); nil when it has none.
    public var region: String?
    /// Services by name.
    public var services: [String: Service]
    /// EC2 instances by name.
    public var instances: [String: Instance]
    /// RDS DB instances by name.
    public var databases: [String: Database]
    /// Security groups by name.
    public var securityGroups: [String: SecurityGroup]
    /// Named secret references that services and databases may use by name.
    public var secrets: [String: SecretReference]
    /// Reconcile policy (prune, self-heal, blast radius, approval, maintenance window).
    public var policy: Policy
    /// Where this environment's alerts go.
    public var alerts: [AlertRoute]

    /// Creates a spec.
    public init(
        region: String? = nil,
        services: [String: Service] = [:],
        instances: [String: Instance] = [:],
        databases: [String: Database] = [:],
        securityGroups: [String: SecurityGroup] = [:],
        secrets: [String: SecretReference] = [:],
        policy: Policy = .init(),
        alerts: [AlertRoute] = []
    ) {
        self.region = region
        self.services = services
        self.instances = instances
        self.databases = databases
        self.securityGroups = securityGroups
        self.secrets = secrets
        self.policy = policy
        self.alerts = alerts
    }
}
