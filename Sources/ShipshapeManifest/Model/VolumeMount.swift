/// A volume mounted into the container: `name:/path[:ro]` (a named volume) or
/// `/host/path:/path[:ro]` (a bind mount).
public struct VolumeMount: Sendable, Hashable, CustomStringConvertible {
    /// Named volume or host path.
    public enum Source: Sendable, Hashable {
        /// A Docker named volume.
        case named(String)
        /// A path on the host (bind mount).
        case hostPath(String)
    }

    /// What is mounted.
    public var source: Source
    /// Absolute path in the container.
    public var target: String
    /// Mounted read-only.
    public var readOnly: Bool

    /// Creates a mount.
    public init(source: Source, target: String, readOnly: Bool = false) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }

    /// The manifest spelling.
    public var description: String {
        let from = switch source {
        case .named(let name): name
        case .hostPath(let path): path
        }
        return "\(from):\(target)" + (readOnly ? ":ro" : "")
    }
}
