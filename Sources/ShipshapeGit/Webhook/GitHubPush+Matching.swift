import Foundation

extension GitHubPush {
    /// True when the push concerns the configured repository (same host and path as any of the
    /// payload's URLs, ignoring scheme, user, `.git` and case) and what the controller follows:
    /// the branch, the tag, or any tag in the version range.
    public func matches(repositoryURL: String, following ref: GitRef) -> Bool {
        guard let wanted = Self.repositoryKey(repositoryURL) else { return false }
        let candidates = [cloneURL, sshURL, htmlURL].compactMap { $0 }.compactMap(Self.repositoryKey)
        guard candidates.contains(wanted) else { return false }
        switch ref {
        case .branch(let branch):
            return self.ref == "refs/heads/\(branch)"
        case .tag(let tag):
            return self.ref == "refs/tags/\(tag)"
        case .semver(let range):
            guard self.ref.hasPrefix("refs/tags/"), let version = SemanticVersion(String(self.ref.dropFirst("refs/tags/".count)))
            else { return false }
            return range.contains(version)
        }
    }

    /// `host/owner/name` in lowercase from https, ssh:// and scp-like URLs; nil for local paths.
    static func repositoryKey(_ url: String) -> String? {
        let address = RemoteAddress(url)
        guard address.transport != .local, !address.host.isEmpty else { return nil }
        var path: Substring
        if let schemeEnd = url.range(of: "://") {
            let rest = url[schemeEnd.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            path = rest[slash...]
        } else if let colon = url.firstIndex(of: ":") {
            path = url[url.index(after: colon)...]
        } else {
            return nil
        }
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        var trimmed = path.split(separator: "/").joined(separator: "/")
        if trimmed.hasSuffix(".git") { trimmed.removeLast(4) }
        return "\(address.host.lowercased())/\(trimmed.lowercased())"
    }
}
