/// Severity of an alert.
public enum AlertSeverity: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Informational.
    case info
    /// Needs attention.
    case warning
    /// Needs someone now.
    case critical

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
