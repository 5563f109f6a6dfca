/// Names one resource of one environment: `service/api`, `security-group/web`.
public struct ResourceID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var kind: ResourceKind
    public var name: String

    public init(_ kind: ResourceKind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    /// Parses the `KIND/NAME` form used in ownership labels; nil when it is not one.
    public init?(label: String) {
        guard let slash = label.firstIndex(of: "/"),
            let kind = ResourceKind(rawValue: String(label[..<slash]))
        else { return nil }
        let name = String(label[label.index(after: slash)...])
        guard !name.isEmpty else { return nil }
        self.init(kind, name)
    }

    /// `KIND/NAME`, the value of the `shipshape.io/resource` label.
    public var description: String { "\(kind.rawValue)/\(name)" }

    public static func < (lhs: ResourceID, rhs: ResourceID) -> Bool {
        lhs.kind == rhs.kind ? lhs.name < rhs.name : lhs.kind < rhs.kind
    }
}
