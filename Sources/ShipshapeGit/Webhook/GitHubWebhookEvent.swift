/// A verified GitHub webhook delivery.
public enum GitHubWebhookEvent: Sendable, Hashable {
    /// Sent when the hook is created: answer 200, nothing to do.
    case ping(hookID: Int?, zen: String?)
    /// Commits or tags were pushed.
    case push(GitHubPush)
    /// Any other event (the `X-GitHub-Event` name); answer 202 and ignore it.
    case other(String)
}

/// The parts of a GitHub `push` event that decide whether to fetch.
public struct GitHubPush: Sendable, Hashable {
    /// `owner/name`.
    public var repositoryFullName: String
    /// `https://github.com/owner/name.git`.
    public var cloneURL: String?
    /// `git@github.com:owner/name.git`.
    public var sshURL: String?
    /// `https://github.com/owner/name`.
    public var htmlURL: String?
    /// The full ref that was pushed: `refs/heads/main`, `refs/tags/v1.2.0`.
    public var ref: String
    /// The commit the ref pointed at before.
    public var before: String?
    /// The commit it points at now (all zeros when the ref was deleted).
    public var after: String
    /// True when the push deleted the ref.
    public var deleted: Bool
    /// True when the push was a force-push.
    public var forced: Bool

    public init(
        repositoryFullName: String, cloneURL: String? = nil, sshURL: String? = nil, htmlURL: String? = nil, ref: String,
        before: String? = nil, after: String, deleted: Bool = false, forced: Bool = false
    ) {
        self.repositoryFullName = repositoryFullName
        self.cloneURL = cloneURL
        self.sshURL = sshURL
        self.htmlURL = htmlURL
        self.ref = ref
        self.before = before
        self.after = after
        self.deleted = deleted
        self.forced = forced
    }
}
