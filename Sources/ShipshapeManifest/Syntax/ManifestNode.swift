/// A YAML node with the place it was written: the tree every later stage works on.
///
/// Unlike `Yams.Node` it keeps the file name in every location, so an environment merged from
/// `base.yaml` and `prod.yaml` still points each diagnostic at the file the value came from.
/// Mapping keys are always scalars; aliases and merge keys (`<<`) are already expanded.
struct ManifestNode: Sendable, Hashable {
    enum Content: Sendable, Hashable {
        case scalar(Scalar)
        case mapping([Entry])
        case sequence([ManifestNode])
    }

    /// A scalar's text and whether it was written plain (unquoted, not a block scalar): only plain
    /// scalars can be numbers, booleans or null.
    struct Scalar: Sendable, Hashable {
        var text: String
        var isPlain: Bool
    }

    /// One `key: value` pair of a mapping.
    struct Entry: Sendable, Hashable {
        var key: String
        var keyLocation: ManifestLocation
        var value: ManifestNode
    }

    var content: Content
    var location: ManifestLocation

    /// What the node is, for "expected a mapping, found a sequence" messages.
    var kindName: String {
        switch content {
        case .scalar(let scalar):
            guard scalar.isPlain else { return "a string" }
            switch PlainScalar.classify(scalar.text) {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int: return "an integer"
            case .float: return "a number"
            case .string: return "a string"
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    var isNull: Bool {
        if case .scalar(let scalar) = content, scalar.isPlain, case .null = PlainScalar.classify(scalar.text) {
            return true
        }
        return false
    }

    var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }
}

/// How a plain scalar resolves under the YAML 1.2 core schema (the subset manifests use).
enum PlainScalar: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string

    static func classify(_ text: String) -> PlainScalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
            || first == UInt8(ascii: ".") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
        else { return .string }
        if isDecimalInteger(text) {
            if let value = Int(text) { return .int(value) }
            return .float(Double(text) ?? .infinity)
        }
        if isFloat(text), let value = Double(text) {
            return .float(value)
        }
        return .string
    }

    private static func isDecimalInteger(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            bytes = bytes.dropFirst()
        }
        return !bytes.isEmpty && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isFloat(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            index += 1
        }
        let whole = digits()
        var fraction = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digits()
        }
        guard whole > 0 || fraction > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}
