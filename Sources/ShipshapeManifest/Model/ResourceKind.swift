/// The kinds of resources an environment declares.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable {
    case services
    case instances
    case databases
    case securityGroups
}
