/// A resource as a provider observed it.
public struct LiveResource: Sendable {
    public var id: ResourceID
    /// The same fields as the desired resource's, as they are now.
    public var attributes: Attributes
    /// Whether the resource carries Shipshape's ownership labels for this environment.
    public var owned: Bool
    /// The backend's identifier (container id, `sg-…`, `i-…`), for display and apply.
    public var externalID: String?
    /// The provider's own typed form of what it observed, handed back to it at apply time.
    public var payload: any Sendable

    public init(id: ResourceID, attributes: Attributes, owned: Bool, externalID: String? = nil, payload: any Sendable) {
        self.id = id
        self.attributes = attributes
        self.owned = owned
        self.externalID = externalID
        self.payload = payload
    }
}
