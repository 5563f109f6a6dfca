import CLibGit2
import Foundation

extension FetchContext {
    /// libgit2's certificate callback: TLS certificates against the configured CA file (or the
    /// system's CAs), SSH host keys against the configured known_hosts file.
    func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, libgit2Valid: Bool) -> Int32 {
        switch cert.pointee.cert_type {
        case GIT_CERT_X509:
            let x509 = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_x509.self)
            return checkTLS(x509.pointee, libgit2Valid: libgit2Valid)
        case GIT_CERT_HOSTKEY_LIBSSH2:
            let hostkey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self)
            return checkHostKey(hostkey.pointee)
        default:
            fail(GitError(.certificateRejected, "\(remote) presented a certificate of an unsupported kind"))
            return -1
        }
    }

    private func checkTLS(_ cert: git_cert_x509, libgit2Valid: Bool) -> Int32 {
        guard let caFile = options.caFile else {
            if libgit2Valid { return 0 }
            fail(GitError(
                .certificateRejected,
                "the TLS certificate of \(remote) is not trusted by the system's CAs. "
                    + "Configure the CA file that signed it (caFile)"))
            return -1
        }
        guard let data = cert.data else {
            fail(GitError(.certificateRejected, "\(remote) presented no TLS certificate"))
            return -1
        }
        let der = data.assumingMemoryBound(to: UInt8.self)
        var message = [CChar](repeating: 0, count: 600)
        if shipshape_x509_verify(der, cert.len, caFile, &message, message.count) != 0 {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            fail(GitError(
                .certificateRejected,
                "the TLS certificate of \(remote) is not signed by a CA in \(caFile): \(reason). "
                    + "Check the CA file, or that the URL points at the right server"))
            return -1
        }
        guard shipshape_x509_matches_host(der, cert.len, address.host) == 1 else {
            fail(GitError(
                .certificateRejected,
                "the TLS certificate of \(remote) is signed by the configured CA but is not issued for '\(address.host)'"))
            return -1
        }
        return 0
    }

    private func checkHostKey(_ cert: git_cert_hostkey) -> Int32 {
        let name = address.knownHostsName
        guard cert.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = cert.hostkey, cert.hostkey_len > 0 else {
            fail(GitError(.certificateRejected, "the SSH server \(name) did not present a host key that can be checked"))
            return -1
        }
        let key = Array(UnsafeRawBufferPointer(start: raw, count: cert.hostkey_len))
        let fingerprint = KnownHosts.fingerprint(key)
        guard let file = options.knownHostsFile else {
            fail(GitError(
                .certificateRejected,
                "the SSH host key of \(name) (\(fingerprint)) cannot be checked: no known_hosts file is configured. "
                    + "Add the server's key to a known_hosts file (ssh-keyscan, checked out of band) and configure it"))
            return -1
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            fail(GitError(.certificateRejected, "the known_hosts file \(file) cannot be read"))
            return -1
        }
        switch KnownHosts(contents: String(decoding: data, as: UTF8.self)).verdict(host: name, key: key) {
        case .trusted:
            return 0
        case .revoked:
            fail(GitError(.certificateRejected, "the SSH host key of \(name) (\(fingerprint)) is marked @revoked in \(file)"))
        case .mismatch:
            fail(GitError(
                .certificateRejected,
                "the SSH host key of \(name) (\(fingerprint)) does not match the key in \(file): the key changed "
                    + "or something is intercepting the connection. Verify the new key out of band before updating the file"))
        case .unknown:
            fail(GitError(
                .certificateRejected,
                "the SSH host key of \(name) (\(fingerprint)) is unknown: \(file) has no entry for \(name). "
                    + "Add the server's key after checking it out of band"))
        }
        return -1
    }
}
