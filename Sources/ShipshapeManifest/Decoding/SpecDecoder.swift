/// Strict decoding of located nodes into typed values, collecting every problem as a diagnostic.
///
/// Each reader checks the node's type and value and returns nil after recording a diagnostic, so the
/// caller keeps going and one run reports every problem. `path` names the field in messages
/// (`services.api.ports[0]`).
struct SpecDecoder {
    var diagnostics: [Diagnostic] = []
    /// Errors recorded so far, so a decoder can tell whether its part added any.
    private(set) var errorCount = 0
    let options: ManifestOptions
    /// Names under `securityGroups:` of the environment being decoded.
    var knownGroups: Set<String> = []
    /// Every name under `secrets:` of the environment being decoded, valid or not.
    var secretNames: Set<String> = []
    /// Valid entries of `secrets:` of the environment being decoded.
    var declaredSecrets: [String: SecretReference] = [:]

    init(options: ManifestOptions) {
        self.options = options
    }

    mutating func error(_ message: String, at location: ManifestLocation, hint: String? = nil) {
        errorCount += 1
        diagnostics.append(Diagnostic(.error, message, at: location, hint: hint))
    }

    mutating func warning(_ message: String, at location: ManifestLocation, hint: String? = nil) {
        diagnostics.append(Diagnostic(.warning, message, at: location, hint: hint))
    }

    /// A warning, or an error under `ManifestOptions(strict: true)`.
    mutating func risk(_ message: String, at location: ManifestLocation, hint: String? = nil) {
        if options.strict { errorCount += 1 }
        diagnostics.append(Diagnostic(options.strict ? .error : .warning, message, at: location, hint: hint))
    }

    // MARK: Structure

    /// The fields of a mapping, with unknown keys reported. Nil (reported) when the node is not a mapping.
    mutating func fields(_ node: ManifestNode, _ path: String, allowed: [String]) -> Fields? {
        guard case .mapping(let entries) = node.content else {
            error("\(path) must be a mapping, found \(node.kindName)", at: node.location)
            return nil
        }
        var byKey: [String: ManifestNode.Entry] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                byKey[entry.key] = entry
            } else {
                error(
                    "unknown key '\(entry.key)' in \(path)",
                    at: entry.keyLocation,
                    hint: Self.nearMatch(for: entry.key, among: allowed).map { "did you mean '\($0)'?" }
                        ?? "allowed: \(allowed.joined(separator: ", "))"
                )
            }
        }
        return Fields(node: node, path: path, byKey: byKey)
    }

    /// The entries of a mapping whose keys are names (services, instances…), in file order.
    mutating func namedEntries(_ node: ManifestNode, _ path: String) -> [ManifestNode.Entry] {
        guard case .mapping(let entries) = node.content else {
            error("\(path) must be a mapping of names to definitions, found \(node.kindName)", at: node.location)
            return []
        }
        return entries
    }

    mutating func list(_ node: ManifestNode, _ path: String) -> [ManifestNode]? {
        guard case .sequence(let items) = node.content else {
            error("\(path) must be a list, found \(node.kindName)", at: node.location, hint: "write it as [a, b] or with '- ' items")
            return nil
        }
        return items
    }

    // MARK: Scalars

    /// A string. Plain numbers, booleans and null are refused: quote them (`tag: "15"`).
    mutating func string(_ node: ManifestNode, _ path: String) -> String? {
        guard case .scalar(let scalar) = node.content else {
            error("\(path) must be a string, found \(node.kindName)", at: node.location)
            return nil
        }
        if scalar.isPlain {
            switch PlainScalar.classify(scalar.text) {
            case .string:
                break
            case .null:
                error("\(path) has no value", at: node.location, hint: "give a value or remove the key")
                return nil
            default:
                error(
                    "\(path) must be a string, found \(node.kindName) '\(scalar.text)'",
                    at: node.location,
                    hint: "quote it: \"\(scalar.text)\""
                )
                return nil
            }
        }
        return scalar.text
    }

    /// Any non-null scalar's text, as written (environment variable values, tags of AWS resources).
    mutating func scalarText(_ node: ManifestNode, _ path: String) -> String? {
        guard case .scalar(let scalar) = node.content else {
            error("\(path) must be a single value, found \(node.kindName)", at: node.location)
            return nil
        }
        if scalar.isPlain, case .null = PlainScalar.classify(scalar.text) {
            error("\(path) has no value", at: node.location, hint: "write \"\" for an empty string")
            return nil
        }
        return scalar.text
    }

    mutating func int(_ node: ManifestNode, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node.content, scalar.isPlain, case .int(let value) = PlainScalar.classify(scalar.text)
        else {
            error("\(path) must be an integer, found \(node.kindName)\(node.textSuffix)", at: node.location)
            return nil
        }
        guard range.contains(value) else {
            error("\(path) is \(value); it must be between \(range.lowerBound) and \(range.upperBound)", at: node.location)
            return nil
        }
        return value
    }

    mutating func bool(_ node: ManifestNode, _ path: String) -> Bool? {
        guard case .scalar(let scalar) = node.content, scalar.isPlain, case .bool(let value) = PlainScalar.classify(scalar.text)
        else {
            error("\(path) must be true or false, found \(node.kindName)\(node.textSuffix)", at: node.location)
            return nil
        }
        return value
    }

    /// A finite number, written plain (`0.05`, `3`, `1e-3`); quoted text, `.inf` and `.nan` are refused.
    mutating func number(_ node: ManifestNode, _ path: String) -> Double? {
        if case .scalar(let scalar) = node.content, scalar.isPlain {
            switch PlainScalar.classify(scalar.text) {
            case .int(let value): return Double(value)
            case .float(let value) where value.isFinite: return value
            case .float:
                error("\(path) must be a finite number, found '\(scalar.text)'", at: node.location, hint: "for example 0.05 or 3")
                return nil
            default: break
            }
        }
        error("\(path) must be a finite number, found \(node.kindName)\(node.textSuffix)", at: node.location, hint: "for example 0.05 or 3")
        return nil
    }

    /// A duration: `500ms`, `30s`, `5m`, `1h30m`.
    mutating func duration(_ node: ManifestNode, _ path: String, atLeast minimum: Duration = .zero) -> Duration? {
        guard let text = scalarText(node, path) else { return nil }
        guard let value = DurationSyntax.parse(text) else {
            error(
                "\(path) '\(text)' is not a duration",
                at: node.location,
                hint: "write a number with a unit: 500ms, 30s, 5m, 1h30m"
            )
            return nil
        }
        guard value >= minimum else {
            error("\(path) must be at least \(DurationSyntax.format(minimum))", at: node.location)
            return nil
        }
        return value
    }

    /// One of `choices` (case-sensitive).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: ManifestNode, _ path: String, as _: T.Type) -> T?
    where T.RawValue == String {
        guard let text = string(node, path) else { return nil }
        guard let value = T(rawValue: text) else {
            let choices = T.allCases.map(\.rawValue)
            error(
                "\(path) '\(text)' is not one of: \(choices.joined(separator: ", "))",
                at: node.location,
                hint: Self.nearMatch(for: text, among: choices).map { "did you mean '\($0)'?" }
            )
            return nil
        }
        return value
    }

    mutating func stringList(_ node: ManifestNode, _ path: String) -> [String]? {
        guard let items = list(node, path) else { return nil }
        var result: [String] = []
        var ok = true
        for (index, item) in items.enumerated() {
            if let text = scalarText(item, "\(path)[\(index)]") {
                result.append(text)
            } else {
                ok = false
            }
        }
        return ok ? result : nil
    }

    /// A mapping of string keys to scalar values (numbers and booleans kept as written).
    mutating func stringMap(_ node: ManifestNode, _ path: String) -> [String: String]? {
        guard case .mapping(let entries) = node.content else {
            error("\(path) must be a mapping of names to values, found \(node.kindName)", at: node.location)
            return nil
        }
        var result: [String: String] = [:]
        var ok = true
        for entry in entries {
            if let text = scalarText(entry.value, "\(path).\(entry.key)") {
                result[entry.key] = text
            } else {
                ok = false
            }
        }
        return ok ? result : nil
    }

    // MARK: Hints

    /// "did you mean 'replicas'?" for a near miss, else the list of allowed names.
    static func suggestion(for key: String, among allowed: [String]) -> String {
        nearMatch(for: key, among: allowed).map { "did you mean '\($0)'?" } ?? "allowed: \(allowed.joined(separator: ", "))"
    }

    /// The allowed name closest to `key`, when it is a plausible typo (case-insensitive edit
    /// distance of at most a third of the length, between 1 and 3).
    static func nearMatch(for key: String, among allowed: [String]) -> String? {
        let scored = allowed.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, min(3, key.count / 3)) else { return nil }
        return best.0
    }

    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars.prefix(64))
        let b = Array(rhs.unicodeScalars.prefix(64))
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// The known fields of one mapping, by key.
struct Fields {
    let node: ManifestNode
    let path: String
    let byKey: [String: ManifestNode.Entry]

    subscript(_ key: String) -> ManifestNode? {
        byKey[key]?.value
    }

    func path(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    func has(_ key: String) -> Bool { byKey[key] != nil }
}

extension ManifestNode {
    /// ` 'text'` for scalars, for messages.
    var textSuffix: String {
        if case .scalar(let scalar) = content, !scalar.text.isEmpty {
            return " '\(scalar.text.prefix(80))'"
        }
        return ""
    }
}
