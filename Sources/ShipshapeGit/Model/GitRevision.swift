/// A commit of the config repository, named by its full object id.
public struct GitRevision: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The full 40-character lowercase hexadecimal object id.
    public let id: String

    /// Creates a revision from a full object id. The id is lowercased; it is not looked up.
    public init(id: String) {
        self.id = id.lowercased()
    }

    /// The first 12 characters of the id, for logs and status pages.
    public var short: String { String(id.prefix(12)) }

    public var description: String { id }
}
