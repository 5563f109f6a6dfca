/// How the controller may change an environment.
public struct Policy: Sendable, Hashable {
    /// Delete managed resources that are no longer in the manifests (default false).
    public var prune: Bool
    /// Revert drift on managed resources (default true). When false, drift is reported only.
    public var selfHeal: Bool
    /// Kinds whose drift is only reported, never corrected, whatever `selfHeal` says.
    public var detectOnly: Set<ResourceSection>
    /// Refuse a plan with more changes than this (blast radius); nil means no limit.
    public var maxChanges: Int?
    /// Which plans wait for a human's approval (default `never`).
    public var approval: ApprovalMode
    /// When disruptive changes may run; nil means any time.
    public var maintenanceWindow: MaintenanceSchedule?

    /// Creates a policy with the defaults of the format.
    public init(
        prune: Bool = false,
        selfHeal: Bool = true,
        detectOnly: Set<ResourceSection> = [],
        maxChanges: Int? = nil,
        approval: ApprovalMode = .never,
        maintenanceWindow: MaintenanceSchedule? = nil
    ) {
        self.prune = prune
        self.selfHeal = selfHeal
        self.detectOnly = detectOnly
        self.maxChanges = maxChanges
        self.approval = approval
        self.maintenanceWindow = maintenanceWindow
    }

    /// Whether drift of `kind` may be corrected: `selfHeal` and not `detectOnly` for it.
    public func heals(_ kind: ResourceSection) -> Bool {
        selfHeal && !detectOnly.contains(kind)
    }
}
