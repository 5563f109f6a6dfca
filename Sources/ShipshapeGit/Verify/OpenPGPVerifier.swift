import Foundation

/// Checks an OpenPGP commit signature with `gpgv` (GnuPG's verify-only tool) against a keyring.
struct OpenPGPVerifier {
    let keyring: String
    var gpgv = "/usr/bin/gpgv"

    func verify(signature: String, payload: [UInt8], revision: GitRevision, remote: String) async throws
        -> CommitSignatureVerification
    {
        guard FileManager.default.isExecutableFile(atPath: gpgv) else {
            throw GitError(.untrustedSignature, "\(gpgv) is missing: install gpgv to verify OpenPGP-signed commits")
        }
        guard FileManager.default.isReadableFile(atPath: keyring) else {
            throw GitError(.untrustedSignature, "the OpenPGP keyring \(keyring) cannot be read")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shipshape-gpgv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let signatureFile = folder.appendingPathComponent("commit.sig")
        let payloadFile = folder.appendingPathComponent("commit.payload")
        try Data(signature.utf8).write(to: signatureFile)
        try Data(payload).write(to: payloadFile)
        let keyringPath = keyring.hasPrefix("/") ? keyring : FileManager.default.currentDirectoryPath + "/" + keyring
        let (status, output) = try await run([
            "--homedir", folder.path, "--status-fd", "1", "--keyring", keyringPath, signatureFile.path, payloadFile.path,
        ])
        let lines = output.split(whereSeparator: \.isNewline).map(String.init)
        let valid = lines.first { $0.hasPrefix("[GNUPG:] VALIDSIG ") }
        let good = lines.first { $0.hasPrefix("[GNUPG:] GOODSIG ") }
        guard status == 0, let valid, let good else {
            let reason = lines.contains { $0.hasPrefix("[GNUPG:] NO_PUBKEY") } ? "by a key that is not in \(keyring)"
                : lines.contains { $0.hasPrefix("[GNUPG:] BADSIG") } ? "and the signature does not match (altered commit or forged signature)"
                : "and gpgv rejected it (status \(status))"
            throw GitError(.untrustedSignature, "commit \(revision.short) of \(remote) is OpenPGP-signed \(reason)")
        }
        let fields = valid.split(separator: " ")
        let fingerprint = fields.count > 2 ? String(fields[fields.count - 1]) : ""
        let signer = good.split(separator: " ", maxSplits: 3).dropFirst(3).joined()
        return CommitSignatureVerification(revision: revision, format: .openPGP, signer: signer, keyFingerprint: fingerprint)
    }

    /// Runs gpgv on a plain thread (it is quick, but blocking) and returns its status and status-fd output.
    private func run(_ arguments: [String]) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gpgv)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                let data = output.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: (finished.terminationStatus, String(decoding: data, as: UTF8.self)))
            }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: GitError(.untrustedSignature, "running \(gpgv) failed: \(error.localizedDescription)"))
            }
        }
    }
}
