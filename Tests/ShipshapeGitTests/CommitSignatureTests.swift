import Foundation
import ShipshapeGit
import ShipshapeTesting
import Testing

@Suite("Signed-commit verification")
struct CommitSignatureTests {
    /// Makes a key pair with ssh-keygen and returns the private key path and the public key line.
    func sshKey(_ type: [String], in bed: GitTestBed, name: String) async throws -> (path: String, publicKey: String) {
        let path = bed.directory.appending("keys/\(name)")
        try FileManager.default.createDirectory(atPath: bed.directory.appending("keys"), withIntermediateDirectories: true)
        try await GitToolRunner.run(["ssh-keygen", "-q", "-N", "", "-C", name, "-f", path] + type)
        let publicKey = try String(contentsOfFile: path + ".pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        return (path, publicKey)
    }

    func signedCommit(_ bed: GitTestBed, key: String, message: String) async throws -> GitRevision {
        try FileManager.default.createDirectory(atPath: bed.origin.path + "/m", withIntermediateDirectories: true)
        try Data(message.utf8).write(to: URL(fileURLWithPath: bed.origin.path + "/m/\(UUID().uuidString).yaml"))
        try await bed.origin.git(["add", "--all"])
        try await bed.origin.git(["-c", "gpg.format=ssh", "-c", "user.signingkey=\(key)", "commit", "--quiet", "-S", "-m", message])
        return GitRevision(id: try await bed.origin.head())
    }

    @Test("SSH-signed commits: allowed keys (Ed25519, ECDSA P-256, RSA) pass; other keys, unsigned and tampered commits are refused")
    func sshSignatures() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let ed25519 = try await sshKey(["-t", "ed25519"], in: bed, name: "alice")
        let ecdsa = try await sshKey(["-t", "ecdsa", "-b", "256"], in: bed, name: "bob")
        let rsa = try await sshKey(["-t", "rsa", "-b", "2048"], in: bed, name: "carol")
        let stranger = try await sshKey(["-t", "ed25519"], in: bed, name: "mallory")
        let otherNamespace = try await sshKey(["-t", "ed25519"], in: bed, name: "dave")
        let signers = try bed.directory.write(
            """
            # deployers
            alice@example.com namespaces="git" \(ed25519.publicKey)
            bob@example.com \(ecdsa.publicKey) bob's laptop
            carol@example.com,ops@example.com namespaces="file,git" \(rsa.publicKey)
            dave@example.com namespaces="file" \(otherNamespace.publicKey)
            """, to: "allowed_signers")
        let policy = CommitVerificationPolicy(mode: .head, allowedSignersFile: signers)

        let byAlice = try await signedCommit(bed, key: ed25519.path, message: "alice")
        let byBob = try await signedCommit(bed, key: ecdsa.path, message: "bob")
        let byCarol = try await signedCommit(bed, key: rsa.path, message: "carol")
        let byMallory = try await signedCommit(bed, key: stranger.path, message: "mallory")
        let byDave = try await signedCommit(bed, key: otherNamespace.path, message: "dave")
        let unsigned = GitRevision(id: try await bed.origin.commit("unsigned", files: ["m/u.yaml": "u\n"]))

        // A tampered copy of Alice's commit: same signature, different message.
        let original = try await bed.origin.git(["cat-file", "commit", byAlice.id])
        let forged = original.replacingOccurrences(of: "\nalice", with: "\nalice, and open the firewall") + "\n"
        let forgedFile = try bed.directory.write(forged, to: "forged-commit")
        let tampered = GitRevision(id: try await bed.origin.git(["hash-object", "-t", "commit", "-w", forgedFile]))
        try await bed.origin.git(["update-ref", "refs/heads/forged", tampered.id])

        let repository = try await bed.clone()
        let alice = try await repository.verifySignature(of: byAlice, policy: policy)
        #expect(alice.format == .ssh)
        #expect(alice.signer == "alice@example.com")
        #expect(alice.keyFingerprint.hasPrefix("SHA256:"))
        #expect(try await repository.verifySignature(of: byBob, policy: policy).signer == "bob@example.com")
        #expect(try await repository.verifySignature(of: byCarol, policy: policy).signer == "carol@example.com,ops@example.com")

        let other = await #expect(throws: GitError.self) { try await repository.verifySignature(of: byMallory, policy: policy) }
        #expect(other?.code == .untrustedSignature)
        #expect(other?.description.contains("not in \(signers)") == true)
        let namespace = await #expect(throws: GitError.self) { try await repository.verifySignature(of: byDave, policy: policy) }
        #expect(namespace?.code == .untrustedSignature)
        let none = await #expect(throws: GitError.self) { try await repository.verifySignature(of: unsigned, policy: policy) }
        #expect(none?.code == .commitNotSigned)
        let altered = await #expect(throws: GitError.self) { try await repository.verifySignature(of: tampered, policy: policy) }
        #expect(altered?.code == .untrustedSignature)
        #expect(altered?.description.contains("does not match") == true)
        let noSigners = await #expect(throws: GitError.self) {
            try await repository.verifySignature(of: byAlice, policy: CommitVerificationPolicy(mode: .head))
        }
        #expect(noSigners?.code == .untrustedSignature)
    }

    @Test("OpenPGP-signed commits are checked with gpgv against the configured keyring")
    func openPGPSignatures() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let home = bed.directory.appending("gnupg")
        let otherHome = bed.directory.appending("gnupg-other")
        for folder in [home, otherHome] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        }
        try await GitToolRunner.run(
            ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Release Bot <release@example.com>", "ed25519", "sign", "never"],
            environment: ["GNUPGHOME": home])
        try await GitToolRunner.run(
            ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Other <other@example.com>", "ed25519", "sign", "never"],
            environment: ["GNUPGHOME": otherHome])
        let keyring = bed.directory.appending("trusted.gpg")
        let otherKeyring = bed.directory.appending("other.gpg")
        try await GitToolRunner.run(["gpg", "--batch", "--output", keyring, "--export"], environment: ["GNUPGHOME": home])
        try await GitToolRunner.run(["gpg", "--batch", "--output", otherKeyring, "--export"], environment: ["GNUPGHOME": otherHome])

        try FileManager.default.createDirectory(atPath: bed.origin.path + "/m", withIntermediateDirectories: true)
        try Data("a: 1\n".utf8).write(to: URL(fileURLWithPath: bed.origin.path + "/m/a.yaml"))
        try await bed.origin.git(["add", "--all"])
        try await bed.origin.git(
            ["-c", "user.signingkey=release@example.com", "commit", "--quiet", "-S", "-m", "signed"], environment: ["GNUPGHOME": home])
        let signed = GitRevision(id: try await bed.origin.head())

        let repository = try await bed.clone()
        let verified = try await repository.verifySignature(
            of: signed, policy: CommitVerificationPolicy(mode: .head, openPGPKeyringFile: keyring))
        #expect(verified.format == .openPGP)
        #expect(verified.signer.contains("release@example.com"))
        #expect(verified.keyFingerprint.count == 40)

        let refused = await #expect(throws: GitError.self) {
            try await repository.verifySignature(of: signed, policy: CommitVerificationPolicy(mode: .head, openPGPKeyringFile: otherKeyring))
        }
        #expect(refused?.code == .untrustedSignature)
        #expect(refused?.description.contains("not in") == true)
    }
}
