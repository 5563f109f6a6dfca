/// Severity of an alert.
public enum AlertSeverity: String, Sendable, Hashable, CaseIterable, Comparable {
    case info
    case warning
    case critical

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
