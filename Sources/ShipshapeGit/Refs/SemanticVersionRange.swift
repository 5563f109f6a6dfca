/// A range of semantic versions in the npm/Cargo notation the config file uses for tags:
/// `>=1.2.0 <2.0.0`, `~1.4` (>=1.4.0 <1.5.0), `^1.0` (>=1.0.0 <2.0.0), `1.x`, `1.2.*`, `*`,
/// `=1.2.3`, and alternatives joined by `||`.
///
/// Pre-releases match only when a comparator of the same alternative names a pre-release of the
/// same major.minor.patch (npm's rule), so `^1.0` never picks `2.0.0-rc.1` or `1.3.0-beta`.
public struct SemanticVersionRange: Sendable, Hashable, CustomStringConvertible {
    struct Comparator: Sendable, Hashable {
        enum Operation: String, Sendable { case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=" }
        var operation: Operation
        var version: SemanticVersion

        func matches(_ candidate: SemanticVersion) -> Bool {
            switch operation {
            case .less: candidate < version
            case .lessOrEqual: candidate <= version
            case .greater: candidate > version
            case .greaterOrEqual: candidate >= version
            case .equal: candidate == version
            }
        }
    }

    /// The text as written in the configuration.
    public let description: String
    /// Alternatives (`||`), each a conjunction of comparators; an empty conjunction matches everything.
    let alternatives: [[Comparator]]

    /// Parses `text`; throws `GitError.invalidArgument` naming the part that is not understood.
    public init(_ text: String) throws {
        description = text
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw GitError(.invalidArgument, "the version range is empty; use e.g. '^1.0' or '>=1.2.0 <2.0.0'") }
        var alternatives: [[Comparator]] = []
        for alternative in trimmed.split(separator: "||", omittingEmptySubsequences: false).map(String.init) {
            var comparators: [Comparator] = []
            var tokens = Self.tokens(alternative)
            guard !tokens.isEmpty else { throw GitError(.invalidArgument, "empty alternative in the version range '\(text)'") }
            // Hyphen range: "1.2 - 1.4" → >=1.2.0 <1.5.0.
            if tokens.count == 3 && tokens[1] == "-" {
                comparators += try Self.desugar(">=" + tokens[0], range: text)
                comparators += try Self.desugar("<=" + tokens[2], range: text)
                tokens = []
            }
            for token in tokens {
                comparators += try Self.desugar(token, range: text)
            }
            alternatives.append(comparators)
        }
        self.alternatives = alternatives
    }

    /// True when `version` lies in the range.
    public func contains(_ version: SemanticVersion) -> Bool {
        alternatives.contains { comparators in
            guard comparators.allSatisfy({ $0.matches(version) }) else { return false }
            guard version.isPrerelease else { return true }
            return comparators.contains {
                $0.version.isPrerelease && $0.version.major == version.major && $0.version.minor == version.minor
                    && $0.version.patch == version.patch
            }
        }
    }

    /// Splits on whitespace, gluing an operator written apart from its version (`>= 1.2`).
    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var pendingOperator = ""
        for part in text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
            if ["<", "<=", ">", ">=", "=", "~", "^", "~>"].contains(part) {
                pendingOperator = part
                continue
            }
            tokens.append(pendingOperator + part)
            pendingOperator = ""
        }
        return tokens
    }

    /// A partial version: missing or wildcard parts are nil.
    private struct Partial {
        var major: Int?
        var minor: Int?
        var patch: Int?
        var prerelease: [String]

        var floor: SemanticVersion { SemanticVersion(major: major ?? 0, minor: minor ?? 0, patch: patch ?? 0, prerelease: prerelease) }
    }

    private static func partial(_ text: Substring, range: String) throws -> Partial {
        var core = text
        if core.first == "v" || core.first == "V" { core = core.dropFirst() }
        if let plus = core.firstIndex(of: "+") { core = core[..<plus] }
        var prerelease: [String] = []
        if let dash = core.firstIndex(of: "-") {
            prerelease = core[core.index(after: dash)...].split(separator: ".").map(String.init)
            core = core[..<dash]
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else {
            throw GitError(.invalidArgument, "'\(text)' in the version range '\(range)' is not a version")
        }
        var numbers: [Int?] = []
        var sawWildcard = false
        for part in parts {
            if ["x", "X", "*"].contains(part) {
                sawWildcard = true
                numbers.append(nil)
            } else if let number = SemanticVersion.number(part), !sawWildcard {
                numbers.append(number)
            } else {
                throw GitError(.invalidArgument, "'\(text)' in the version range '\(range)' is not a version")
            }
        }
        while numbers.count < 3 { numbers.append(nil) }
        if numbers[2] == nil && !prerelease.isEmpty {
            throw GitError(.invalidArgument, "'\(text)' in the version range '\(range)': a pre-release needs a full version")
        }
        return Partial(major: numbers[0], minor: numbers[1], patch: numbers[2], prerelease: prerelease)
    }

    private static func version(_ major: Int, _ minor: Int, _ patch: Int) -> SemanticVersion {
        SemanticVersion(major: major, minor: minor, patch: patch)
    }

    /// One token (`>=1.2`, `~1.4`, `^0.3.1`, `1.x`) as plain comparators.
    private static func desugar(_ token: String, range: String) throws -> [Comparator] {
        var text = Substring(token)
        var operation = ""
        for candidate in ["~>", ">=", "<=", ">", "<", "=", "~", "^"] where text.hasPrefix(candidate) {
            operation = candidate
            text = text.dropFirst(candidate.count)
            break
        }
        if text.isEmpty || text == "*" || text == "x" || text == "X" {
            if operation == "<" || operation == ">" {
                throw GitError(.invalidArgument, "'\(token)' in the version range '\(range)' matches nothing")
            }
            return []
        }
        let p = try partial(text, range: range)
        guard let major = p.major else { return [] }
        switch operation {
        case "", "=":
            guard let minor = p.minor else { return [.init(operation: .greaterOrEqual, version: p.floor), .init(operation: .less, version: version(major + 1, 0, 0))] }
            guard p.patch != nil else { return [.init(operation: .greaterOrEqual, version: p.floor), .init(operation: .less, version: version(major, minor + 1, 0))] }
            return [.init(operation: .equal, version: p.floor)]
        case "~", "~>":
            let upper = p.minor == nil ? version(major + 1, 0, 0) : version(major, p.minor! + 1, 0)
            return [.init(operation: .greaterOrEqual, version: p.floor), .init(operation: .less, version: upper)]
        case "^":
            let upper: SemanticVersion
            if major > 0 || p.minor == nil {
                upper = version(major + 1, 0, 0)
            } else if p.minor! > 0 || p.patch == nil {
                upper = version(0, p.minor! + 1, 0)
            } else {
                upper = version(0, 0, p.patch! + 1)
            }
            return [.init(operation: .greaterOrEqual, version: p.floor), .init(operation: .less, version: upper)]
        case ">":
            guard let minor = p.minor else { return [.init(operation: .greaterOrEqual, version: version(major + 1, 0, 0))] }
            guard p.patch != nil else { return [.init(operation: .greaterOrEqual, version: version(major, minor + 1, 0))] }
            return [.init(operation: .greater, version: p.floor)]
        case ">=":
            return [.init(operation: .greaterOrEqual, version: p.floor)]
        case "<":
            return [.init(operation: .less, version: p.floor)]
        case "<=":
            guard let minor = p.minor else { return [.init(operation: .less, version: version(major + 1, 0, 0))] }
            guard p.patch != nil else { return [.init(operation: .less, version: version(major, minor + 1, 0))] }
            return [.init(operation: .lessOrEqual, version: p.floor)]
        default:
            throw GitError(.invalidArgument, "'\(token)' in the version range '\(range)' has an unknown operator")
        }
    }
}
