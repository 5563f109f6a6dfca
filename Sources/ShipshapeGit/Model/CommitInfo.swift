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
    /// The whole commit message.
    public let message: String

    public init(
        revision: GitRevision, summary: String, authorName: String, authorEmail: String, time: Date, message: String = ""
    ) {
        self.revision = revision
        self.summary = summary
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
        self.message = message
    }

    /// The message's trailers (`Key: value` lines of its last paragraph), in order.
    public var trailers: [CommitTrailer] { CommitTrailer.parse(message) }
}
