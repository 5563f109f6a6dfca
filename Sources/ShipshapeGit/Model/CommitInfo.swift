import Foundation

/// The parts of a commit that the controller shows and records.
public struct CommitInfo: Sendable, Hashable {
    /// The commit itself.
    public let revision: GitRevision
    /// The first line of the commit message.
    public let summary: String
    /// The author's name as recorded in the commit.
    public let authorName: String
    /// The author's email as recorded in the commit.
    public let authorEmail: String
    /// The author time of the commit.
    public let time: Date

    public init(revision: GitRevision, summary: String, authorName: String, authorEmail: String, time: Date) {
        self.revision = revision
        self.summary = summary
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
    }
}
