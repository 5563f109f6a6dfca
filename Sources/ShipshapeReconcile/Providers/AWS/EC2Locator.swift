import ShipshapeManifest

/// How an EC2 resource (security group, instance) is found.
enum EC2Locator: Sendable, Hashable {
    /// Created by Shipshape: carries `shipshape.io/resource=KIND/NAME` for the environment.
    case owned
    /// Adopted by its id.
    case id(String)
    /// Adopted by a tag exactly one resource carries.
    case tag(key: String, value: String)

    init(_ adoption: Adoption?) {
        switch adoption {
        case nil: self = .owned
        case .id(let id): self = .id(id)
        case .tag(let key, let value): self = .tag(key: key, value: value)
        }
    }

    var isAdopted: Bool { self != .owned }
}

/// What observing needs to know about one desired EC2 resource: how to find it, and which tag keys
/// the manifests set (other tags on the resource are not Shipshape's business and are not compared).
struct EC2Target: Sendable, Hashable {
    var locator: EC2Locator
    var tagKeys: Set<String>

    func liveTags(_ tags: [String: String]) -> AttributeValue {
        .map(tags.filter { tagKeys.contains($0.key) }.mapValues { .string($0) })
    }
}

/// Matches observed EC2 resources to the resources the manifests want, by ownership tag, id or
/// adoption tag. Generic over the observed type so groups and instances share it.
struct EC2Matcher<Observed> {
    var environment: String
    var externalID: (Observed) -> String
    var tags: (Observed) -> [String: String]

    /// The observed resource for each target, plus owned resources that no target names (candidates
    /// for pruning). Targets with an ambiguous adoption tag are reported in `ambiguous`.
    func match(_ targets: [ResourceID: EC2Locator], kind: ResourceKind, observed: [Observed])
        -> (matched: [ResourceID: Observed], ambiguous: [ResourceID: [String]])
    {
        var matched: [ResourceID: Observed] = [:]
        var ambiguous: [ResourceID: [String]] = [:]
        var byID: [String: Observed] = [:]
        for item in observed { byID[externalID(item)] = item }
        let unique = Array(byID.values)
        for (resource, locator) in targets {
            switch locator {
            case .id(let id):
                if let item = byID[id] { matched[resource] = item }
            case .tag(let key, let value):
                let hits = unique.filter { tags($0)[key] == value }
                if hits.count == 1 {
                    matched[resource] = hits[0]
                } else if hits.count > 1 {
                    ambiguous[resource] = hits.map(externalID)
                }
            case .owned:
                let hits = unique.filter {
                    Ownership.isOwned(tags($0), environment: environment) && tags($0)[Ownership.resourceKey] == resource.description
                }
                if let first = hits.min(by: { externalID($0) < externalID($1) }) { matched[resource] = first }
            }
        }
        let claimed = Set(matched.values.map(externalID))
        for item in unique where !claimed.contains(externalID(item)) {
            let itemTags = tags(item)
            guard Ownership.isOwned(itemTags, environment: environment), let label = itemTags[Ownership.resourceKey],
                let resource = ResourceID(label: label), resource.kind == kind, matched[resource] == nil
            else { continue }
            matched[resource] = item
        }
        return (matched, ambiguous)
    }
}
