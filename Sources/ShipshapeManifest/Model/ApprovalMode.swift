/// When a plan needs a human's approval before it is applied.
public enum ApprovalMode: String, Sendable, Hashable, CaseIterable {
    /// Never: apply automatically (the default).
    case never
    /// Only plans with disruptive changes (replacing an instance or a database, deleting anything).
    case disruptive
    /// Every plan.
    case always
}
