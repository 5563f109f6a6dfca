/// One step of a plan: what happens to one resource, and why.
public struct Change: Sendable {
    /// What happens to the resource.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        case create
        case update
        case replace
        case delete
    }

    /// Why the change is in the plan.
    public enum Reason: String, Sendable, Hashable, Codable {
        /// The manifests changed since the last applied revision.
        case newRevision = "new-revision"
        /// The live resource no longer matches what was applied.
        case drift
        /// The resource left the manifests and the policy prunes.
        case prune
        /// A change to the resource was cut short (the controller was killed mid-apply, see
        /// `ApplyJournal`). It is applied again even when the live state looks converged: a provider
        /// may have steps that leave no trace in the observed attributes (a blue/green traffic
        /// switch), and its idempotent `apply` finishes them.
        case interrupted
    }

    public var resource: ResourceID
    public var action: Action
    public var reason: Reason
    /// Field-level before → after, sorted by field name.
    public var fields: [FieldChange]
    /// Whether carrying out the change interrupts the resource (stop, reboot, delete).
    public var disruptive: Bool
    public var desired: DesiredResource?
    public var live: LiveResource?

    public init(
        resource: ResourceID,
        action: Action,
        reason: Reason,
        fields: [FieldChange],
        disruptive: Bool,
        desired: DesiredResource?,
        live: LiveResource?
    ) {
        self.resource = resource
        self.action = action
        self.reason = reason
        self.fields = fields
        self.disruptive = disruptive
        self.desired = desired
        self.live = live
    }
}

/// One field of a change: its value before and after. Nil means the field is absent.
public struct FieldChange: Sendable, Hashable {
    public var path: String
    public var before: AttributeValue?
    public var after: AttributeValue?
    public var effect: FieldEffect

    public init(path: String, before: AttributeValue?, after: AttributeValue?, effect: FieldEffect) {
        self.path = path
        self.before = before
        self.after = after
        self.effect = effect
    }
}
