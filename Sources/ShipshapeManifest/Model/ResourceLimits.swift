/// Memory and CPU limits of each replica.
public struct ResourceLimits: Sendable, Hashable {
    /// Memory limit in bytes (written `512m`, `1g`, `256Mi`, `2Gi`); at least 6 MiB.
    public var memoryBytes: Int?
    /// CPU limit in cores (`0.5`, `2`).
    public var cpus: Double?

    /// Creates limits.
    public init(memoryBytes: Int? = nil, cpus: Double? = nil) {
        self.memoryBytes = memoryBytes
        self.cpus = cpus
    }
}
