/// Options for decoding manifests.
public struct ManifestOptions: Sendable, Hashable {
    /// When true, warnings that usually signal a risky manifest become errors: a missing image tag,
    /// the `latest` tag.
    public var strict: Bool
    /// Limits that keep hostile or broken input bounded in time and memory.
    public var limits: ManifestLimits

    /// Creates options. Defaults: not strict, default limits.
    public init(strict: Bool = false, limits: ManifestLimits = .init()) {
        self.strict = strict
        self.limits = limits
    }
}

/// Hard limits on manifest input. Input beyond a limit is refused with an error diagnostic, before
/// the expensive work, so a hostile commit costs bounded time and memory.
public struct ManifestLimits: Sendable, Hashable {
    /// Largest accepted file, in bytes (default 1 MiB).
    public var maxFileBytes: Int
    /// Deepest accepted nesting of mappings and sequences (default 64).
    public var maxDepth: Int
    /// Most nodes a document may hold once every alias is expanded (default 1,000,000).
    /// Stops "billion laughs" alias bombs.
    public var maxNodes: Int
    /// Most alias uses (`*name`) a document may contain (default 10,000).
    public var maxAliases: Int

    /// Creates limits.
    public init(maxFileBytes: Int = 1 << 20, maxDepth: Int = 64, maxNodes: Int = 1_000_000, maxAliases: Int = 10_000) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxAliases = maxAliases
    }
}
