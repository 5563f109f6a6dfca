/// Where an ECS service runs (runtime `ecs` only).
public struct ECSPlacement: Sendable, Hashable {
    /// ECS launch type.
    public enum LaunchType: String, Sendable, Hashable, CaseIterable {
        /// AWS Fargate.
        case fargate = "FARGATE"
        /// EC2 container instances of the cluster.
        case ec2 = "EC2"
    }

    /// Cluster name.
    public var cluster: String
    /// `FARGATE` (default) or `EC2`.
    public var launchType: LaunchType
    /// Subnet ids for `awsvpc` tasks.
    public var subnets: [String]
    /// Security groups (names under `securityGroups:` of the same environment) for `awsvpc` tasks.
    public var securityGroups: [String]
    /// Give tasks a public IP (default false).
    public var assignPublicIp: Bool

    /// Creates a placement.
    public init(
        cluster: String,
        launchType: LaunchType = .fargate,
        subnets: [String] = [],
        securityGroups: [String] = [],
        assignPublicIp: Bool = false
    ) {
        self.cluster = cluster
        self.launchType = launchType
        self.subnets = subnets
        self.securityGroups = securityGroups
        self.assignPublicIp = assignPublicIp
    }
}
