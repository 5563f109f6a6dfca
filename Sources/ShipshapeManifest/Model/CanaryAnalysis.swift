/// A canary's metric check: a PromQL query evaluated while the canary is observed, whose value must
/// stay within `min`…`max`.
///
/// The query is a template: `{{environment}}`, `{{service}}`, `{{container}}` (the canary
/// container's name) and `{{replica}}` (its replica index) are replaced before each evaluation.
/// Their values are names (letters, digits, `-`), so they can go inside a PromQL string as they are.
public struct CanaryAnalysis: Sendable, Hashable {
    /// The values a query template can name.
    public enum Placeholder: String, Sendable, Hashable, CaseIterable {
        /// The environment's name.
        case environment
        /// The service's name.
        case service
        /// The canary container's name (`ENV-SERVICE-INDEX-HASH`).
        case container
        /// The canary's replica index.
        case replica
    }

    /// A problem with a query template.
    public enum TemplateProblem: Sendable, Hashable {
        /// `{{name}}` names no placeholder.
        case unknownPlaceholder(String)
        /// `{{` without a closing `}}`.
        case unclosed
    }

    /// The PromQL query, with placeholders.
    public var query: String
    /// The canary fails when the value is above this.
    public var max: Double?
    /// The canary fails when the value is below this.
    public var min: Double?
    /// Time between evaluations (default 15s); the last one is at the end of the observation.
    public var interval: Duration

    /// Creates an analysis; at least one of `max` and `min` is expected.
    public init(query: String, max: Double? = nil, min: Double? = nil, interval: Duration = .seconds(15)) {
        self.query = query
        self.max = max
        self.min = min
        self.interval = interval
    }

    /// The query with every placeholder replaced by its value; a placeholder without a value is
    /// left as written.
    public func expandedQuery(_ values: [Placeholder: String]) -> String {
        Self.parts(of: query).map { (part: Part) -> String in
            switch part {
            case .text(let text): String(text)
            case .placeholder(let name, let written):
                Placeholder(rawValue: name).flatMap { values[$0] } ?? String(written)
            case .unclosed(let text): String(text)
            }
        }.joined()
    }

    /// The problems of a query template: unknown placeholder names and an unclosed `{{`.
    public static func problems(inTemplate query: String) -> [TemplateProblem] {
        parts(of: query).compactMap { (part: Part) -> TemplateProblem? in
            switch part {
            case .text: nil
            case .placeholder(let name, _): Placeholder(rawValue: name) == nil ? .unknownPlaceholder(name) : nil
            case .unclosed: .unclosed
            }
        }
    }

    /// A template split at `{{…}}`.
    private enum Part {
        case text(Substring)
        /// The name between the braces, and the whole `{{name}}`.
        case placeholder(String, Substring)
        /// From a `{{` without a closing `}}` to the end.
        case unclosed(Substring)
    }

    private static func parts(of template: String) -> [Part] {
        var parts: [Part] = []
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.text(rest[..<open.lowerBound])) }
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                parts.append(.unclosed(rest[open.lowerBound...]))
                return parts
            }
            parts.append(
                .placeholder(String(rest[open.upperBound..<close.lowerBound]), rest[open.lowerBound..<close.upperBound])
            )
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(rest)) }
        return parts
    }

    /// Why `value` fails the bounds, or nil when it is within them. NaN is never within them.
    public func violation(of value: Double) -> String? {
        if value.isNaN { return "is NaN" }
        if let max, value > max { return "is \(value), above max \(max)" }
        if let min, value < min { return "is \(value), below min \(min)" }
        return nil
    }
}
