/// The desired state of one environment: everything under `spec:`.
public struct EnvironmentSpec: Sendable, Hashable {
    /// AWS region for this environment's AWS resources (`ap-northeast-2`); nil when it has none.
    public var region: String?
    /// Services by name.
    public var services: [String: Service]
    /// Reconcile policy (prune, self-heal, blast radius).
    public var policy: Policy

    /// Creates a spec.
    public init(region: String? = nil, services: [String: Service] = [:], policy: Policy = .init()) {
        self.region = region
        self.services = services
        self.policy = policy
    }
}
