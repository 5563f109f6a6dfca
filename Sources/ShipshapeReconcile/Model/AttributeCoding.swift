import Foundation

/// Canonical JSON for attributes, used where they are stored outside the process (container labels).
///
/// Keys are sorted, so equal attributes encode to equal text. Sensitive values encode as the marker
/// `(sensitive)` and decode as that string: stored attributes never hold a secret.
public enum AttributeCoding {
    public static func encode(_ attributes: Attributes) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(attributes) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The attributes in `text`, or nil when it is not such a document.
    public static func decode(_ text: String) -> Attributes? {
        try? JSONDecoder().decode([String: AttributeValue].self, from: Data(text.utf8))
    }
}

extension AttributeValue: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AttributeValue].self) {
            self = .list(value)
        } else {
            self = .map(try container.decode([String: AttributeValue].self))
        }
    }
}
