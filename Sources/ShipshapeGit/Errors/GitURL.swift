import Foundation

/// Helpers for remote URLs that are safe to log.
public enum GitURL {
    /// `url` without userinfo (user name, password or token) and without a query string:
    /// `https://x-access-token:SECRET@github.com/org/repo.git?x=1` → `https://github.com/org/repo.git`.
    ///
    /// scp-like SSH addresses (`git@github.com:org/repo.git`) keep their user name, which is a
    /// login name and not a secret; local paths are returned unchanged.
    public static func sanitize(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let scheme = url[..<schemeEnd.lowerBound]
        var rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            rest = rest[rest.index(after: at)...]
        }
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<query]
        }
        return "\(scheme)://\(rest)"
    }

    /// `text` with the userinfo of every `scheme://user:secret@host` URL in it removed.
    public static func sanitizeText(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var output = ""
        var index = text.startIndex
        while let schemeEnd = text.range(of: "://", range: index..<text.endIndex) {
            output += text[index..<schemeEnd.upperBound]
            var cursor = schemeEnd.upperBound
            var authorityEnd = cursor
            while authorityEnd < text.endIndex,
                !"/?# \t\n'\"<>".contains(text[authorityEnd])
            {
                authorityEnd = text.index(after: authorityEnd)
            }
            if let at = text[cursor..<authorityEnd].lastIndex(of: "@") {
                cursor = text.index(after: at)
            }
            output += text[cursor..<authorityEnd]
            index = authorityEnd
        }
        output += text[index...]
        return output
    }
}

/// `url` without userinfo or query string, for logs; see ``GitURL/sanitize(_:)``.
public func sanitizedURL(_ url: String) -> String { GitURL.sanitize(url) }
