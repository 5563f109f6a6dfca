/// How a service moves from one version to the next.
public struct DeploymentStrategy: Sendable, Hashable {
    /// The rollout shape.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Replace replicas a few at a time, each new one healthy before the next old one goes.
        case rolling
        /// Start a full new set beside the old one, switch traffic, keep the old set for a while.
        case blueGreen
        /// Shift traffic to the new version in steps, observing it between steps.
        case canary
    }

    /// `type:` (default `rolling`).
    public var kind: Kind
    /// Rolling: replicas that may be down at once (default 1).
    public var maxUnavailable: Int
    /// Blue/green: how long the old set stays (stopped traffic, ready to switch back) after the
    /// switch (default 10m).
    public var keepBlueFor: Duration
    /// Blue/green and canary on ECS: the ELBv2 target group that carries the traffic.
    public var targetGroupArn: String?
    /// Canary: the traffic percentages of the steps, increasing, ending at 100 (default 10, 50, 100).
    public var steps: [Int]
    /// Canary: how long each step is observed before the next (default 5m).
    public var observe: Duration
    /// Blue/green and canary: the probe that must pass on the new version before traffic moves
    /// (default: the service's health check).
    public var probe: HealthCheck?
    /// Canary on Docker: a Prometheus query whose value must stay within bounds while the canary is
    /// observed (default: none).
    public var analysis: CanaryAnalysis?

    /// Creates a strategy with the format's defaults.
    public init(
        kind: Kind = .rolling,
        maxUnavailable: Int = 1,
        keepBlueFor: Duration = .seconds(600),
        targetGroupArn: String? = nil,
        steps: [Int] = [10, 50, 100],
        observe: Duration = .seconds(300),
        probe: HealthCheck? = nil,
        analysis: CanaryAnalysis? = nil
    ) {
        self.kind = kind
        self.maxUnavailable = maxUnavailable
        self.keepBlueFor = keepBlueFor
        self.targetGroupArn = targetGroupArn
        self.steps = steps
        self.observe = observe
        self.probe = probe
        self.analysis = analysis
    }
}
