/// What the controller follows in the config repository.
public enum GitRef: Sendable, Hashable, CustomStringConvertible {
    /// The tip of a branch of origin.
    case branch(String)
    /// A fixed tag (`v1.4.2`, without `refs/tags/`).
    case tag(String)
    /// The newest tag whose name is a semantic version (optionally `v`-prefixed) in the range.
    case semver(SemanticVersionRange)

    public var description: String {
        switch self {
        case .branch(let name): "branch \(name)"
        case .tag(let name): "tag \(name)"
        case .semver(let range): "newest tag in \(range)"
        }
    }
}

/// A `GitRef` resolved against the local clone.
public struct ResolvedRef: Sendable, Hashable {
    /// The full ref name that was chosen, e.g. `refs/remotes/origin/main` or `refs/tags/v1.4.2`.
    public let name: String
    /// The commit it points at (annotated tags are peeled).
    public let revision: GitRevision
    /// For `.semver`, the version of the chosen tag.
    public let version: SemanticVersion?

    public init(name: String, revision: GitRevision, version: SemanticVersion? = nil) {
        self.name = name
        self.revision = revision
        self.version = version
    }
}
