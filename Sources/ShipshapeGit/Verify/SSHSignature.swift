import Crypto
import Foundation
import _CryptoExtras

/// An OpenSSH signature (`-----BEGIN SSH SIGNATURE-----`, the SSHSIG format of
/// openssh/PROTOCOL.sshsig), as git writes with `gpg.format=ssh`.
///
/// Verified in process with swift-crypto: Ed25519, ECDSA P-256/P-384/P-521 and RSA
/// (`rsa-sha2-256`/`rsa-sha2-512`, at least 2048 bits). Security-key (`sk-…`) signatures are not supported.
struct SSHSignature {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The signer's public key blob (SSH wire format), to look up in allowed_signers.
    let publicKey: [UInt8]
    /// The key type inside `publicKey` (`ssh-ed25519`, …).
    let keyType: String
    let namespace: String
    let reserved: [UInt8]
    let hashAlgorithm: String
    let signature: [UInt8]

    /// Parses the armored text.
    init(armored: String) throws {
        let begin = "-----BEGIN SSH SIGNATURE-----"
        let end = "-----END SSH SIGNATURE-----"
        guard let start = armored.range(of: begin), let stop = armored.range(of: end, range: start.upperBound..<armored.endIndex)
        else { throw Invalid("the signature is not an armored SSH signature") }
        let base64 = armored[start.upperBound..<stop.lowerBound].filter { !$0.isWhitespace }
        guard let blob = Data(base64Encoded: String(base64)) else { throw Invalid("the SSH signature is not valid base64") }
        var reader = SSHWireReader(Array(blob))
        do {
            guard try reader.raw(6) == Array("SSHSIG".utf8) else { throw Invalid("the SSH signature has no SSHSIG preamble") }
            let version = try reader.uint32()
            guard version == 1 else { throw Invalid("SSH signature version \(version) is not supported") }
            publicKey = try reader.string()
            namespace = try reader.text()
            reserved = try reader.string()
            hashAlgorithm = try reader.text()
            signature = try reader.string()
            var keyReader = SSHWireReader(publicKey)
            keyType = try keyReader.text()
        } catch is SSHWireReader.Malformed {
            throw Invalid("the SSH signature is truncated or malformed")
        }
    }

    /// Checks the signature over `message` for `expectedNamespace`; throws `Invalid` saying why not.
    func verify(message: [UInt8], expectedNamespace: String) throws {
        guard namespace == expectedNamespace else {
            throw Invalid("the signature is for namespace '\(namespace)', not '\(expectedNamespace)'")
        }
        let digest: [UInt8]
        switch hashAlgorithm {
        case "sha512": digest = Array(SHA512.hash(data: message))
        case "sha256": digest = Array(SHA256.hash(data: message))
        default: throw Invalid("the signature's hash algorithm '\(hashAlgorithm)' is not supported")
        }
        var signed = SSHWireWriter()
        signed.raw("SSHSIG".utf8)
        signed.string(Array(namespace.utf8))
        signed.string(reserved)
        signed.string(Array(hashAlgorithm.utf8))
        signed.string(digest)
        let data = signed.bytes

        do {
            var sigReader = SSHWireReader(signature)
            let signatureType = try sigReader.text()
            let signatureBytes = try sigReader.string()
            var keyReader = SSHWireReader(publicKey)
            _ = try keyReader.string()
            let valid: Bool
            switch (keyType, signatureType) {
            case ("ssh-ed25519", "ssh-ed25519"):
                let key = try Curve25519.Signing.PublicKey(rawRepresentation: try keyReader.string())
                valid = key.isValidSignature(signatureBytes, for: data)
            case ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"):
                _ = try keyReader.string()
                let key = try P256.Signing.PublicKey(x963Representation: try keyReader.string())
                let raw = try Self.ecdsaRaw(signatureBytes, size: 32)
                valid = key.isValidSignature(try P256.Signing.ECDSASignature(rawRepresentation: raw), for: data)
            case ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"):
                _ = try keyReader.string()
                let key = try P384.Signing.PublicKey(x963Representation: try keyReader.string())
                let raw = try Self.ecdsaRaw(signatureBytes, size: 48)
                valid = key.isValidSignature(try P384.Signing.ECDSASignature(rawRepresentation: raw), for: data)
            case ("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp521"):
                _ = try keyReader.string()
                let key = try P521.Signing.PublicKey(x963Representation: try keyReader.string())
                let raw = try Self.ecdsaRaw(signatureBytes, size: 66)
                valid = key.isValidSignature(try P521.Signing.ECDSASignature(rawRepresentation: raw), for: data)
            case ("ssh-rsa", "rsa-sha2-512"), ("ssh-rsa", "rsa-sha2-256"):
                let e = try keyReader.mpint()
                let n = try keyReader.mpint()
                let key = try _RSA.Signing.PublicKey(n: n, e: e)
                let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signatureBytes)
                valid =
                    signatureType == "rsa-sha2-512"
                    ? key.isValidSignature(rsaSignature, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
                    : key.isValidSignature(rsaSignature, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            default:
                throw Invalid("signatures of type '\(signatureType)' with '\(keyType)' keys are not supported")
            }
            guard valid else { throw Invalid("the signature does not match the signed commit: the commit was altered or the signature forged") }
        } catch let error as Invalid {
            throw error
        } catch {
            throw Invalid("the signature or its public key is malformed (\(error))")
        }
    }

    /// `mpint r, mpint s` → fixed-size `r || s`.
    private static func ecdsaRaw(_ blob: [UInt8], size: Int) throws -> [UInt8] {
        var reader = SSHWireReader(blob)
        let r = try reader.mpint()
        let s = try reader.mpint()
        guard r.count <= size, s.count <= size else { throw Invalid("the ECDSA signature is malformed") }
        return [UInt8](repeating: 0, count: size - r.count) + r + [UInt8](repeating: 0, count: size - s.count) + s
    }
}
