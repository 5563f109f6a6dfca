import Foundation

/// A DynamoDB attribute value in its wire form (`{"S": "…"}`, `{"N": "12"}`, …).
public indirect enum DynamoDBAttributeValue: Sendable, Hashable, Codable {
    case string(String)
    /// Numbers travel as strings to keep their precision.
    case number(String)
    case bool(Bool)
    case null
    case binary(Data)
    case stringSet([String])
    case numberSet([String])
    case list([DynamoDBAttributeValue])
    case map([String: DynamoDBAttributeValue])

    private enum Key: String, CodingKey { case S, N, BOOL, NULL, B, SS, NS, L, M }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let value = try container.decodeIfPresent(String.self, forKey: .S) {
            self = .string(value)
        } else if let value = try container.decodeIfPresent(String.self, forKey: .N) {
            self = .number(value)
        } else if let value = try container.decodeIfPresent(Bool.self, forKey: .BOOL) {
            self = .bool(value)
        } else if container.contains(.NULL) {
            self = .null
        } else if let value = try container.decodeIfPresent(String.self, forKey: .B) {
            self = .binary(Data(base64Encoded: value) ?? Data())
        } else if let value = try container.decodeIfPresent([String].self, forKey: .SS) {
            self = .stringSet(value)
        } else if let value = try container.decodeIfPresent([String].self, forKey: .NS) {
            self = .numberSet(value)
        } else if let value = try container.decodeIfPresent([DynamoDBAttributeValue].self, forKey: .L) {
            self = .list(value)
        } else {
            self = .map(try container.decode([String: DynamoDBAttributeValue].self, forKey: .M))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .string(let value): try container.encode(value, forKey: .S)
        case .number(let value): try container.encode(value, forKey: .N)
        case .bool(let value): try container.encode(value, forKey: .BOOL)
        case .null: try container.encode(true, forKey: .NULL)
        case .binary(let value): try container.encode(value.base64EncodedString(), forKey: .B)
        case .stringSet(let value): try container.encode(value, forKey: .SS)
        case .numberSet(let value): try container.encode(value, forKey: .NS)
        case .list(let value): try container.encode(value, forKey: .L)
        case .map(let value): try container.encode(value, forKey: .M)
        }
    }

    /// A number attribute from an integer.
    public static func int(_ value: Int) -> DynamoDBAttributeValue { .number(String(value)) }

    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }
    public var intValue: Int? { if case .number(let value) = self { Int(value) } else { nil } }
}

/// A DynamoDB item: attribute name → value.
public typealias DynamoDBItem = [String: DynamoDBAttributeValue]
