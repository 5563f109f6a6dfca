/// The stable JSON form of a plan (`shipshape plan --output json`), documented in
/// `docs/plan-format.md`. `formatVersion` changes only on incompatible changes.
public struct PlanDocument: Sendable, Encodable {
    public struct Field: Sendable, Encodable {
        public var path: String
        public var before: AttributeValue?
        public var after: AttributeValue?
        public var effect: FieldEffect
    }

    public struct Entry: Sendable, Encodable {
        public var resource: String
        public var kind: String
        public var name: String
        public var action: Change.Action
        public var reason: Change.Reason
        public var disruptive: Bool
        public var fields: [Field]
    }

    public var formatVersion = 1
    public var environment: String
    public var revision: String
    public var changes: [Entry]
    public var detectedDrift: [Entry]
    public var orphaned: [String]
    public var unchanged: Int
    public var summary: Plan.Summary

    public init(_ plan: Plan) {
        func entry(_ change: Change) -> Entry {
            Entry(
                resource: change.resource.description,
                kind: change.resource.kind.rawValue,
                name: change.resource.name,
                action: change.action,
                reason: change.reason,
                disruptive: change.disruptive,
                fields: change.fields.map { Field(path: $0.path, before: $0.before, after: $0.after, effect: $0.effect) }
            )
        }
        environment = plan.environment
        revision = plan.revision
        changes = plan.changes.map(entry)
        detectedDrift = plan.detectedDrift.map(entry)
        orphaned = plan.orphaned.map(\.description)
        unchanged = plan.unchanged.count
        summary = plan.summary
    }
}
