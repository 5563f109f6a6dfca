/// One manifest file's bytes, as read from Git or from disk.
public struct ManifestSource: Sendable, Hashable {
    /// Path relative to the manifests root (`base.yaml`, `prod/services.yaml`). Diagnostics name it.
    public var path: String
    /// Raw bytes. They must be UTF-8 (a leading byte order mark is allowed).
    public var contents: [UInt8]

    /// Creates a source from raw bytes.
    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }

    /// Creates a source from text.
    public init(path: String, text: String) {
        self.init(path: path, contents: Array(text.utf8))
    }
}
