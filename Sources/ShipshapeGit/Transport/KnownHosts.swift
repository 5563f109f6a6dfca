import Crypto
import Foundation

/// The entries of an OpenSSH `known_hosts` file: plain, wildcard (`*`, `?`), negated (`!`) and
/// hashed (`|1|salt|hash`) host patterns, `[host]:port` names and `@revoked` markers.
/// `@cert-authority` lines are not supported and never match.
struct KnownHosts {
    struct Entry {
        var revoked: Bool
        var patterns: [String]
        var keyType: String
        var key: [UInt8]
    }

    enum Verdict: Equatable {
        /// The key is listed for the host.
        case trusted
        /// The key is marked `@revoked`.
        case revoked
        /// The host is listed, but with other keys: the key changed or someone is in between.
        case mismatch
        /// The host is not listed at all.
        case unknown
    }

    var entries: [Entry]

    init(contents: String) {
        entries = []
        for rawLine in contents.split(whereSeparator: \.isNewline) {
            var fields = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
            entries.append(
                Entry(revoked: revoked, patterns: fields[0].split(separator: ",").map(String.init), keyType: fields[1], key: Array(key)))
        }
    }

    /// Whether `key` (the raw SSH public key blob) is trusted for `host` (`host` or `[host]:port`).
    func verdict(host: String, key: [UInt8]) -> Verdict {
        var hostListed = false
        for entry in entries where Self.matches(host: host, patterns: entry.patterns) {
            if entry.key == key {
                if entry.revoked { return .revoked }
            }
        }
        for entry in entries where !entry.revoked && Self.matches(host: host, patterns: entry.patterns) {
            hostListed = true
            if entry.key == key { return .trusted }
        }
        return hostListed ? .mismatch : .unknown
    }

    /// OpenSSH's pattern-list rule: a negated match excludes, otherwise any positive match includes.
    static func matches(host: String, patterns: [String]) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("|1|") {
                if hashedMatch(host: host, entry: pattern) { matched = true }
            } else if pattern.hasPrefix("!") {
                if glob(String(pattern.dropFirst()).lowercased(), host.lowercased()) { return false }
            } else if glob(pattern.lowercased(), host.lowercased()) {
                matched = true
            }
        }
        return matched
    }

    /// `|1|base64(salt)|base64(HMAC-SHA1(salt, host))`.
    static func hashedMatch(host: String, entry: String) -> Bool {
        let parts = entry.split(separator: "|", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "1", let salt = Data(base64Encoded: String(parts[1])),
            let expected = Data(base64Encoded: String(parts[2]))
        else { return false }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(host.utf8), using: SymmetricKey(data: salt))
        return Data(mac) == expected
    }

    /// Shell-style glob with `*` and `?`.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern)
        let t = Array(text)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1
                ti += 1
            } else if pi < p.count && p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// `SHA256:base64` fingerprint of a raw key blob, as `ssh-keygen -l` prints it.
    static func fingerprint(_ key: [UInt8]) -> String {
        let digest = Data(SHA256.hash(data: key)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }
}
