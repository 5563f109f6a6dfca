/// What a fetch changed in the local clone.
public struct GitFetchResult: Sendable {
    /// The local ref names that moved, appeared or were pruned (`refs/remotes/origin/main`, `refs/tags/v1.2.0`), sorted.
    public var updatedRefs: [String]
    /// Bytes received from the remote. Zero when nothing had to be transferred; the local
    /// (`file://`) transport may report zero even when objects were copied.
    public var receivedBytes: Int
    /// Every ref change, with old and new commits and whether history was rewritten.
    public var updates: [GitRefUpdate]

    /// The updates that rewrote history (force-push, rebase, moved tag).
    public var forcedUpdates: [GitRefUpdate] { updates.filter(\.isForced) }

    public init(updatedRefs: [String] = [], receivedBytes: Int = 0, updates: [GitRefUpdate] = []) {
        self.updatedRefs = updatedRefs
        self.receivedBytes = receivedBytes
        self.updates = updates
    }
}
