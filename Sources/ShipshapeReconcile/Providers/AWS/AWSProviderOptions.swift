/// Settings shared by the AWS providers. The defaults suit production; tests shorten the waits.
public struct AWSProviderOptions: Sendable {
    /// Ingress ports the controller's own host needs (SSH, the webhook port). A plan that changes or
    /// removes an ingress rule covering one of them is marked disruptive, so the environment's approval
    /// policy decides whether it runs.
    public var protectedPorts: Set<Int>
    /// Longest wait for an EC2 instance to reach `stopped` or `running` during a type change.
    public var instanceStateTimeout: Duration
    /// How often instance and deployment waiters poll.
    public var pollInterval: Duration
    /// Longest wait for an ECS deployment to settle before it is rolled back.
    public var deploymentTimeout: Duration

    /// Creates options; every argument has a production default.
    public init(
        protectedPorts: Set<Int> = [22],
        instanceStateTimeout: Duration = .seconds(600),
        pollInterval: Duration = .seconds(5),
        deploymentTimeout: Duration = .seconds(900)
    ) {
        self.protectedPorts = protectedPorts
        self.instanceStateTimeout = instanceStateTimeout
        self.pollInterval = pollInterval
        self.deploymentTimeout = deploymentTimeout
    }
}
