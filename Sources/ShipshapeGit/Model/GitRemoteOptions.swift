/// How to reach the remote: credentials and trust settings.
///
/// The default reaches `file://` URLs, local paths and public HTTPS remotes trusted by the system's
/// CAs. SSH remotes always need `knownHostsFile`: an unknown host key is refused.
/// Secrets are read from files at every fetch (so a rotated token is picked up) and never logged.
public struct GitRemoteOptions: Sendable, Hashable {
    /// Credentials presented when the remote asks for them.
    public var credentials: GitCredentials?
    /// A PEM file of CA certificates that alone are trusted for the HTTPS remote (instead of the
    /// system's CAs). It must hold the CA that signed the server's certificate.
    public var caFile: String?
    /// An OpenSSH `known_hosts` file with the SSH remote's host key; other keys are refused.
    public var knownHostsFile: String?

    public init(credentials: GitCredentials? = nil, caFile: String? = nil, knownHostsFile: String? = nil) {
        self.credentials = credentials
        self.caFile = caFile
        self.knownHostsFile = knownHostsFile
    }
}

/// Credentials for a remote, always read from files.
public enum GitCredentials: Sendable, Hashable {
    /// HTTP basic authentication with a token as the password, as GitHub and GitLab take it.
    /// `username` is what the host expects (`x-access-token` for GitHub App tokens, any for PATs).
    case token(file: String, username: String = "x-access-token")
    /// An SSH key pair (a deploy key). `publicKeyFile` defaults to `privateKeyFile + ".pub"` when
    /// nil; `passphraseFile` holds the key's passphrase if it has one. The user name comes from
    /// the URL (`git@host:…`), else `username`.
    case sshKey(privateKeyFile: String, publicKeyFile: String? = nil, passphraseFile: String? = nil, username: String = "git")
}
