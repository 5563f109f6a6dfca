/// The kinds of resources an environment declares.
public enum ResourceSection: String, Sendable, Hashable, CaseIterable {
    /// `services:`
    case services
    /// `instances:`
    case instances
    /// `databases:`
    case databases
    /// `securityGroups:`
    case securityGroups
}
