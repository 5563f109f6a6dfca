/// A position in a manifest file: the file (relative to the manifests root), 1-based line and column.
struct ManifestLocation: Sendable, Hashable, CustomStringConvertible {
    /// Path relative to the manifests root.
    var file: String
    /// 1-based line.
    var line: Int
    /// 1-based column in Unicode scalars.
    var column: Int

    /// `file:line:column`.
    var description: String { "\(file):\(line):\(column)" }
}
