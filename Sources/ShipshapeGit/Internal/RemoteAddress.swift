import Foundation

/// Host and port of a network remote, parsed from its URL (for known_hosts lookups and messages).
struct RemoteAddress: Sendable, Hashable {
    enum Transport: Sendable { case local, https, http, ssh, git }
    var transport: Transport
    var host: String
    var port: Int?

    /// Parses `https://host:port/…`, `ssh://user@host:port/…`, `user@host:path` (scp-like) and local paths.
    init(_ url: String) {
        if let schemeEnd = url.range(of: "://") {
            let scheme = url[..<schemeEnd.lowerBound].lowercased()
            var authority = url[schemeEnd.upperBound...]
            if let slash = authority.firstIndex(of: "/") { authority = authority[..<slash] }
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            switch scheme {
            case "https": transport = .https
            case "http": transport = .http
            case "ssh", "ssh+git", "git+ssh": transport = .ssh
            case "git": transport = .git
            default: transport = .local
            }
            (host, port) = Self.split(authority)
        } else if !url.hasPrefix("/"), !url.hasPrefix("."), let colon = url.firstIndex(of: ":") {
            transport = .ssh
            var authority = url[..<colon]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            host = String(authority)
            port = nil
        } else {
            transport = .local
            host = ""
            port = nil
        }
    }

    private static func split(_ authority: Substring) -> (String, Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        if let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon {
            return (String(authority[..<colon]), Int(authority[authority.index(after: colon)...]))
        }
        return (String(authority), nil)
    }

    /// The host as `known_hosts` names it: `host` on port 22, `[host]:port` otherwise.
    var knownHostsName: String {
        guard let port, port != 22 else { return host }
        return "[\(host)]:\(port)"
    }
}
