import CLibGit2
import Foundation

extension FetchContext {
    /// libgit2's credential callback: builds the configured credential, or records why it cannot.
    func acquireCredential(
        _ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>,
        usernameFromURL: String?,
        allowed: UInt32
    ) -> Int32 {
        guard let credentials = options.credentials else {
            fail(GitError(
                .authenticationFailed,
                "\(remote) requires authentication and no credentials are configured. "
                    + "Configure a token file (HTTPS) or a deploy key (SSH)"))
            return -1
        }
        // A username-only request (SSH without a user in the URL) comes before the key itself.
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0, case .sshKey(_, _, _, let username) = credentials {
            return git_credential_username_new(out, usernameFromURL ?? username)
        }
        if nextCredentialAttempt() > 1 {
            fail(GitError(.authenticationFailed, "\(remote) refused the \(Self.describe(credentials)). Check that it is current and grants read access"))
            return -1
        }
        switch credentials {
        case .token(let file, let username):
            guard allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else {
                fail(GitError(.authenticationFailed, "\(remote) does not accept a token (it asks for another kind of credential); use a deploy key for SSH remotes"))
                return -1
            }
            guard address.transport != .http || ["127.0.0.1", "::1", "localhost"].contains(address.host) else {
                fail(GitError(
                    .authenticationFailed,
                    "refusing to send the token to \(remote) over unencrypted HTTP; use an https:// URL"))
                return -1
            }
            guard let token = readSecret(file, what: "token file") else { return -1 }
            return git_credential_userpass_plaintext_new(out, username, token)
        case .sshKey(let privateKeyFile, let publicKeyFile, let passphraseFile, let username):
            guard allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else {
                fail(GitError(.authenticationFailed, "\(remote) does not accept an SSH key; use a token file for HTTPS remotes"))
                return -1
            }
            guard FileManager.default.isReadableFile(atPath: privateKeyFile) else {
                fail(GitError(.authenticationFailed, "the SSH private key file \(privateKeyFile) cannot be read"))
                return -1
            }
            let publicKey = publicKeyFile ?? privateKeyFile + ".pub"
            let publicKeyPath = FileManager.default.isReadableFile(atPath: publicKey) ? publicKey : nil
            var passphrase: String?
            if let passphraseFile {
                guard let secret = readSecret(passphraseFile, what: "passphrase file") else { return -1 }
                passphrase = secret
            }
            return git_credential_ssh_key_new(out, usernameFromURL ?? username, publicKeyPath, privateKeyFile, passphrase)
        }
    }

    /// The first line of a secret file, or nil after recording an error that names only the file.
    private func readSecret(_ path: String, what: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            fail(GitError(.authenticationFailed, "the \(what) \(path) cannot be read"))
            return nil
        }
        let secret = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)?
            .trimmingWhitespace() ?? ""
        guard !secret.isEmpty else {
            fail(GitError(.authenticationFailed, "the \(what) \(path) is empty"))
            return nil
        }
        return secret
    }

    /// Names the credential without its secret.
    static func describe(_ credentials: GitCredentials) -> String {
        switch credentials {
        case .token(let file, let username): "token from \(file) (user '\(username)')"
        case .sshKey(let key, _, _, _): "SSH key \(key)"
        }
    }
}
