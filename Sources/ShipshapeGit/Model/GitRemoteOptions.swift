/// How to reach the remote: credentials and trust settings.
///
/// The default reaches `file://` URLs, local paths and public HTTPS remotes trusted by the system.
public struct GitRemoteOptions: Sendable {
    public init() {}
}
