/// A file read from a commit's tree.
public struct GitFile: Sendable, Hashable {
    /// The path relative to the folder that was read (`under:`), with `/` separators.
    public let path: String
    /// The raw contents of the blob.
    public let contents: [UInt8]

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }
}
