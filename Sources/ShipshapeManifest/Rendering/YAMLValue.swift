/// A minimal YAML emitter for canonical output: block mappings, flow lists of scalars, block lists
/// of mappings, and strings quoted exactly when a plain scalar would read back differently.
enum YAMLValue {
    case string(String)
    case number(String)
    case bool(Bool)
    case map([(String, YAMLValue)])
    case list([YAMLValue])

    private var isScalar: Bool {
        switch self {
        case .string, .number, .bool: true
        case .map, .list: false
        }
    }

    private var scalarText: String { scalarText(inFlow: false) }

    private func scalarText(inFlow: Bool) -> String {
        switch self {
        case .string(let text): inFlow && text.contains(":") ? DiagnosticFormatter.jsonString(text) : Self.quotedIfNeeded(text)
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .map, .list: ""
        }
    }

    /// Writes this value as the body of a mapping at `indent` spaces.
    func write(into output: inout String, indent: Int) {
        guard case .map(let fields) = self else { return }
        let pad = String(repeating: " ", count: indent)
        for (key, value) in fields {
            output += pad + Self.quotedIfNeeded(key) + ":"
            value.writeValue(into: &output, indent: indent)
        }
    }

    private func writeValue(into output: inout String, indent: Int) {
        switch self {
        case .string, .number, .bool:
            output += " " + scalarText + "\n"
        case .map(let fields):
            if fields.isEmpty {
                output += " {}\n"
            } else {
                output += "\n"
                write(into: &output, indent: indent + 2)
            }
        case .list(let items):
            if items.allSatisfy(\.isScalar) {
                output += " [" + items.map { $0.scalarText(inFlow: true) }.joined(separator: ", ") + "]\n"
                return
            }
            output += "\n"
            let pad = String(repeating: " ", count: indent + 2)
            for item in items {
                switch item {
                case .map(let fields) where !fields.isEmpty:
                    var body = ""
                    item.write(into: &body, indent: indent + 4)
                    // The first line of the item goes after "- ".
                    output += pad + "- " + body.dropFirst(indent + 4)
                default:
                    output += pad + "-"
                    item.writeValue(into: &output, indent: indent + 2)
                }
            }
        }
    }

    private static let indicators = Set("-?:,[]{}#&*!|>'\"%@`".unicodeScalars)
    private static let flowUnsafe = Set(",[]{}#".unicodeScalars)

    /// The text as a plain scalar when it reads back as the same string, else double-quoted.
    static func quotedIfNeeded(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let plainIsSafe = !text.isEmpty
            && PlainScalar.classify(text) == .string
            && !indicators.contains(scalars.first!)
            && scalars.first != " " && scalars.last != " " && scalars.last != ":"
            && !text.contains(": ") && !text.contains(" #")
            && !scalars.contains(where: { flowUnsafe.contains($0) || $0.value < 0x20 || $0.value == 0x7F || $0.value > 0x7E })
        return plainIsSafe ? text : DiagnosticFormatter.jsonString(text)
    }
}
