/// A container image reference: `[registry/]repository[:tag][@digest]`.
///
/// In a manifest the repository goes in `image:` and the version in `tag:` or `digest:`; a tag or
/// digest written inline in `image:` is accepted too.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// Registry host with optional port (`127.0.0.1:5000`, `123456789012.dkr.ecr.us-east-1.amazonaws.com`);
    /// nil for Docker Hub.
    public var registry: String?
    /// Repository path inside the registry (`community-api`, `library/postgres`).
    public var repository: String
    /// Tag (`1.4.2`); nil when only a digest pins the image, or when none is given (a warning).
    public var tag: String?
    /// Content digest (`sha256:` + 64 hex digits); pins harder than a tag.
    public var digest: String?

    /// Creates a reference from its parts (not validated; use `init(parsing:)` for text).
    public init(registry: String? = nil, repository: String, tag: String? = nil, digest: String? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// `registry/repository`, without tag or digest.
    public var name: String {
        registry.map { "\($0)/\(repository)" } ?? repository
    }

    /// The full reference: `host:port/repo:tag`, `repo@sha256:…`, or `repo:tag@sha256:…`.
    public var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }
}
