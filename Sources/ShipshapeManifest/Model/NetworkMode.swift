/// The network a service's containers or tasks join.
public enum NetworkMode: Sendable, Hashable, CustomStringConvertible {
    /// Docker's default bridge (docker and ecs).
    case bridge
    /// The host's network stack (docker and ecs); published ports do not apply.
    case host
    /// No network (docker).
    case none
    /// One ENI per task (ecs; required by Fargate).
    case awsvpc
    /// A user-defined Docker network by name (docker).
    case named(String)

    /// The manifest spelling.
    public var description: String {
        switch self {
        case .bridge: "bridge"
        case .host: "host"
        case .none: "none"
        case .awsvpc: "awsvpc"
        case .named(let name): name
        }
    }
}
