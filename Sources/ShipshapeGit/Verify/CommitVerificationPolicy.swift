/// Which commits may be applied: `verify: { mode: head, allowedSigners: FILE, keyring: FILE }`.
public struct CommitVerificationPolicy: Sendable, Hashable {
    /// What is checked.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// The commit to apply (the tip of the followed ref) must carry a trusted signature.
        case head
    }

    public var mode: Mode
    /// An OpenSSH allowed_signers file: SSH-signed commits (git's `gpg.format=ssh`) by these keys are trusted.
    public var allowedSignersFile: String?
    /// An OpenPGP keyring (`gpg --export` output) checked with `gpgv`: OpenPGP-signed commits by these keys are trusted.
    public var openPGPKeyringFile: String?

    public init(mode: Mode = .head, allowedSignersFile: String? = nil, openPGPKeyringFile: String? = nil) {
        self.mode = mode
        self.allowedSignersFile = allowedSignersFile
        self.openPGPKeyringFile = openPGPKeyringFile
    }
}

/// A commit whose signature was checked and trusted.
public struct CommitSignatureVerification: Sendable, Hashable {
    /// How the commit was signed.
    public enum Format: String, Sendable, Hashable { case ssh, openPGP }

    public let revision: GitRevision
    public let format: Format
    /// Who signed: the allowed_signers principals, or the OpenPGP user id.
    public let signer: String
    /// `SHA256:…` for SSH keys, the primary key fingerprint for OpenPGP.
    public let keyFingerprint: String
}
