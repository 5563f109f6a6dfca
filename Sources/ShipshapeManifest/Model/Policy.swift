/// How the controller may change an environment.
public struct Policy: Sendable, Hashable {
    /// Delete managed resources that are no longer in the manifests (default false).
    public var prune: Bool
    /// Revert drift on managed resources (default true). When false, drift is reported only.
    public var selfHeal: Bool
    /// Refuse a plan with more changes than this (blast radius); nil means no limit.
    public var maxChanges: Int?

    /// Creates a policy with the defaults of the format.
    public init(prune: Bool = false, selfHeal: Bool = true, maxChanges: Int? = nil) {
        self.prune = prune
        self.selfHeal = selfHeal
        self.maxChanges = maxChanges
    }
}
