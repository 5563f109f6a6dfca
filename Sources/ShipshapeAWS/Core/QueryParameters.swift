/// The parameters of a Query-protocol call (EC2, RDS, ELBv2, STS), in the order they were added.
public struct QueryParameters: Sendable, Equatable {
    public private(set) var items: [SigV4Request.QueryItem] = []

    public init() {}

    /// Adds `name=value`; a `nil` value adds nothing.
    public mutating func add(_ name: String, _ value: String?) {
        if let value { items.append(.init(name, value)) }
    }

    /// Adds `name=value` for an integer; `nil` adds nothing.
    public mutating func add(_ name: String, _ value: Int?) { add(name, value.map(String.init)) }

    /// Adds `name=true|false`; `nil` adds nothing.
    public mutating func add(_ name: String, _ value: Bool?) { add(name, value.map { $0 ? "true" : "false" }) }

    /// EC2 list shape: `Name.1=a&Name.2=b`.
    public mutating func addList(_ name: String, _ values: [String]) {
        for (index, value) in values.enumerated() { add("\(name).\(index + 1)", value) }
    }

    /// awsquery list shape: `Name.member.1=a&Name.member.2=b`.
    public mutating func addMemberList(_ name: String, _ values: [String]) {
        for (index, value) in values.enumerated() { add("\(name).member.\(index + 1)", value) }
    }

    /// The form-encoded body for `action` of a service with API `version`.
    func formBody(action: String, version: String) -> String {
        ([SigV4Request.QueryItem("Action", action), .init("Version", version)] + items)
            .map { "\(SigV4Signer.uriEncode($0.name))=\(SigV4Signer.uriEncode($0.value))" }
            .joined(separator: "&")
    }
}
