import CLibGit2
import Foundation

extension GitRepository {
    /// Checks that `revision` carries a signature trusted by `policy`; throws `GitError`
    /// (`commitNotSigned` or `untrustedSignature`, with the reason) when it does not.
    ///
    /// SSH signatures are checked in process against the allowed_signers file (namespace `git`);
    /// OpenPGP signatures are checked by running `gpgv` against the keyring.
    public func verifySignature(of revision: GitRevision, policy: CommitVerificationPolicy) async throws
        -> CommitSignatureVerification
    {
        let handle = handle
        let remote = sanitizedURL
        let (signature, payload) = try await queue.run { () -> (String, [UInt8])? in
            var oid = try LibGit2.oid(revision.id)
            var signature = git_buf()
            var signed = git_buf()
            defer {
                git_buf_dispose(&signature)
                git_buf_dispose(&signed)
            }
            let result = git_commit_extract_signature(&signature, &signed, handle.pointer, &oid, nil)
            if result == GIT_ENOTFOUND.rawValue {
                var commit: OpaquePointer?
                if git_commit_lookup(&commit, handle.pointer, &oid) == GIT_ENOTFOUND.rawValue {
                    throw GitError(.referenceNotFound, "commit \(revision.short) is not in the local clone of \(remote); fetch first")
                }
                git_commit_free(commit)
                return nil
            }
            try LibGit2.check(result, "reading the signature of commit \(revision.short)")
            let text = String(decoding: UnsafeRawBufferPointer(start: signature.ptr, count: signature.size), as: UTF8.self)
            let payload = Array(UnsafeRawBufferPointer(start: signed.ptr, count: signed.size))
            return (text, payload)
        } ?? {
            throw GitError(
                .commitNotSigned,
                "commit \(revision.short) of \(remote) is not signed and signature verification is on; it is not applied")
        }()

        if signature.contains("-----BEGIN SSH SIGNATURE-----") {
            return try Self.verifySSH(signature: signature, payload: payload, revision: revision, policy: policy, remote: remote)
        }
        if signature.contains("-----BEGIN PGP SIGNATURE-----") {
            guard let keyring = policy.openPGPKeyringFile else {
                throw GitError(
                    .untrustedSignature,
                    "commit \(revision.short) of \(remote) has an OpenPGP signature but no OpenPGP keyring is configured")
            }
            let verifier = OpenPGPVerifier(keyring: keyring)
            return try await verifier.verify(signature: signature, payload: payload, revision: revision, remote: remote)
        }
        throw GitError(.untrustedSignature, "commit \(revision.short) of \(remote) has a signature of an unsupported kind (X.509?)")
    }

    static func verifySSH(
        signature armored: String, payload: [UInt8], revision: GitRevision, policy: CommitVerificationPolicy, remote: String
    ) throws -> CommitSignatureVerification {
        guard let file = policy.allowedSignersFile else {
            throw GitError(
                .untrustedSignature, "commit \(revision.short) of \(remote) has an SSH signature but no allowed signers file is configured")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw GitError(.untrustedSignature, "the allowed signers file \(file) cannot be read")
        }
        let signature: SSHSignature
        do {
            signature = try SSHSignature(armored: armored)
            try signature.verify(message: payload, expectedNamespace: "git")
        } catch let error as SSHSignature.Invalid {
            throw GitError(.untrustedSignature, "commit \(revision.short) of \(remote) has an invalid SSH signature: \(error)")
        }
        let fingerprint = KnownHosts.fingerprint(signature.publicKey)
        guard
            let principals = AllowedSigners(contents: String(decoding: data, as: UTF8.self))
                .principals(for: signature.publicKey, namespace: "git", at: Date())
        else {
            throw GitError(
                .untrustedSignature,
                "commit \(revision.short) of \(remote) is signed by \(signature.keyType) key \(fingerprint), which is not in \(file) "
                    + "(or not for namespace 'git' now)")
        }
        return CommitSignatureVerification(revision: revision, format: .ssh, signer: principals, keyFingerprint: fingerprint)
    }
}
