/// The kinds of resource Shipshape manages. The raw value is the `KIND` in the ownership label
/// `shipshape.io/resource=KIND/NAME` and in plan output, so it is stable.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A group of ingress/egress rules in a VPC.
    case securityGroup = "security-group"
    /// An RDS database instance.
    case database
    /// An EC2 instance.
    case instance
    /// An image tag or digest that must exist in ECR before services use it.
    case image
    /// A service run as Docker containers on this host.
    case service
    /// A service run by Amazon ECS.
    case ecsService = "ecs-service"

    /// The order kinds are applied in when nothing more specific is known: groups before the
    /// instances that use them, databases and images before the services that need them.
    public var applyOrder: Int {
        switch self {
        case .securityGroup: 0
        case .database: 1
        case .instance: 2
        case .image: 3
        case .service: 4
        case .ecsService: 5
        }
    }

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool { lhs.applyOrder < rhs.applyOrder }
}
