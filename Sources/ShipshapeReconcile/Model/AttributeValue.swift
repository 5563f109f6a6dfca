/// One field of a resource, in the form plans compare and print.
///
/// Sensitive values (secrets resolved at deploy time) are compared by a fingerprint that is only
/// meaningful inside this process and are always rendered as `(sensitive)`: a plan, log, alert or
/// JSON document never carries the value or its fingerprint.
public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([AttributeValue])
    case map([String: AttributeValue])
    case sensitive(fingerprint: String)

    /// A short, human form: strings quoted, maps sorted by key, sensitive values masked.
    public var description: String {
        switch self {
        case .string(let value): "\"\(value)\""
        case .int(let value): String(value)
        case .bool(let value): String(value)
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .map(let values):
            "{" + values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .sensitive: "(sensitive)"
        }
    }

    /// True when this value or anything inside it is sensitive.
    public var containsSensitive: Bool {
        switch self {
        case .sensitive: true
        case .list(let values): values.contains { $0.containsSensitive }
        case .map(let values): values.values.contains { $0.containsSensitive }
        case .string, .int, .bool: false
        }
    }
}

extension AttributeValue: Encodable {
    /// Encodes as plain JSON; sensitive values become the string `(sensitive)`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .list(let values): try container.encode(values)
        case .map(let values): try container.encode(values)
        case .sensitive: try container.encode("(sensitive)")
        }
    }
}

/// The fields of a resource by name.
public typealias Attributes = [String: AttributeValue]
