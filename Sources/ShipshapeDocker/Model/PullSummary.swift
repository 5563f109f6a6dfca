/// The outcome of a successful pull.
public struct PullSummary: Sendable, Hashable {
    /// The reference pulled.
    public var reference: String
    /// True when the daemon downloaded something new (the tag moved or the image was absent);
    /// false when it already had the image.
    public var downloadedNewContent: Bool
    /// The daemon's last status line, e.g. `"Status: Image is up to date for …"`.
    public var status: String
}
