/// One ref that a fetch created, moved or deleted.
public struct GitRefUpdate: Sendable, Hashable {
    /// Local ref name, e.g. `refs/remotes/origin/main` or `refs/tags/v1.2.0`.
    public let name: String
    /// Where it pointed before the fetch; nil for a new ref.
    public let old: GitRevision?
    /// Where it points now; nil for a ref deleted on the remote (pruned).
    public let new: GitRevision?
    /// True when the new commit does not descend from the old one: a force-push, a rebase or a
    /// moved tag rewrote history. The controller should warn and alert.
    public let isForced: Bool

    public init(name: String, old: GitRevision?, new: GitRevision?, isForced: Bool) {
        self.name = name
        self.old = old
        self.new = new
        self.isForced = isForced
    }
}
