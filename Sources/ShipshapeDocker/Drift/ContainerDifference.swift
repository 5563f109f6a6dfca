/// One field that differs between a live container and the spec it should have.
///
/// `field` names the field as `ContainerSpec` does (`image`, `cmd`, `memoryBytes`, …), with the key
/// appended for maps (`env.LOG_LEVEL`, `labels.team`). `before` is the live value, `after` the
/// desired one; nil means absent. Environment values are secrets until proven otherwise: unless the
/// comparison was asked to reveal them, both sides show `(sensitive)` and `isSensitive` is true.
public struct ContainerDifference: Sendable, Hashable, CustomStringConvertible {
    /// The field, e.g. `memoryBytes` or `env.LOG_LEVEL`.
    public var field: String
    /// The live value; nil when absent.
    public var before: String?
    /// The desired value; nil when absent.
    public var after: String?
    /// The values hide secrets (environment variables).
    public var isSensitive: Bool

    /// What a hidden value shows: `(sensitive)`, as the plan output writes secrets.
    public static let sensitiveValue = "(sensitive)"

    public init(field: String, before: String?, after: String?, isSensitive: Bool = false) {
        self.field = field
        self.before = before
        self.after = after
        self.isSensitive = isSensitive
    }

    /// `field: before → after`, with `(none)` for an absent side.
    public var description: String {
        "\(field): \(before ?? "(none)") → \(after ?? "(none)")"
    }
}
