/// The ordered set of changes that converges one environment to one revision.
public struct Plan: Sendable {
    public var environment: String
    public var revision: String
    /// Changes in the order they are applied: creates and updates by kind and dependency, then
    /// deletes in reverse.
    public var changes: [Change]
    /// Resources that already match the manifests.
    public var unchanged: [ResourceID]
    /// Owned resources that left the manifests but are kept because the policy does not prune.
    public var orphaned: [ResourceID]
    /// Drift found but not corrected because the policy only detects it.
    public var detectedDrift: [Change]
    /// Fingerprint of every desired resource's attributes (see `Planner.fingerprint`), kept in the
    /// state after an apply to tell drift from new revisions.
    public var fingerprints: [ResourceID: String]

    public init(
        environment: String,
        revision: String,
        changes: [Change],
        unchanged: [ResourceID],
        orphaned: [ResourceID],
        detectedDrift: [Change],
        fingerprints: [ResourceID: String] = [:]
    ) {
        self.environment = environment
        self.revision = revision
        self.changes = changes
        self.unchanged = unchanged
        self.orphaned = orphaned
        self.detectedDrift = detectedDrift
        self.fingerprints = fingerprints
    }

    /// True when applying the plan would change nothing.
    public var isEmpty: Bool { changes.isEmpty }

    /// How many changes of each action the plan holds.
    public var summary: Summary {
        var summary = Summary()
        for change in changes {
            switch change.action {
            case .create: summary.create += 1
            case .update: summary.update += 1
            case .replace: summary.replace += 1
            case .delete: summary.delete += 1
            }
        }
        return summary
    }

    /// Counts of changes by action.
    public struct Summary: Sendable, Hashable, Codable, CustomStringConvertible {
        public var create = 0
        public var update = 0
        public var replace = 0
        public var delete = 0

        public init() {}

        public var total: Int { create + update + replace + delete }

        public var description: String {
            "\(create) to create, \(update) to update, \(replace) to replace, \(delete) to delete"
        }
    }
}
