/// A resource as the manifests of one revision want it.
public struct DesiredResource: Sendable {
    public var id: ResourceID
    /// The fields a plan compares with the live resource.
    public var attributes: Attributes
    /// How a change of each field is carried out; fields not listed are updated in place.
    public var fieldEffects: [String: FieldEffect]
    /// Resources that must be applied before this one.
    public var dependencies: [ResourceID]
    /// The provider's own typed form of the resource, handed back to it at apply time.
    public var payload: any Sendable

    public init(
        id: ResourceID,
        attributes: Attributes,
        fieldEffects: [String: FieldEffect] = [:],
        dependencies: [ResourceID] = [],
        payload: any Sendable
    ) {
        self.id = id
        self.attributes = attributes
        self.fieldEffects = fieldEffects
        self.dependencies = dependencies
        self.payload = payload
    }
}

/// What changing a field does to the live resource.
public enum FieldEffect: String, Sendable, Hashable, Codable {
    /// Changed in place without interrupting the resource.
    case inPlace
    /// Changed by replacing the resource (containers: start new ones, remove the old).
    case replace
    /// Changed in place, but the resource is interrupted (an instance stops, a database reboots).
    case disruptive
}
