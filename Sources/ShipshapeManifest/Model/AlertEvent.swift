/// Events the controller can alert on.
public enum AlertEvent: String, Sendable, Hashable, CaseIterable {
    case reconcileFailed
    case driftDetected
    case driftCorrected
    case rolloutRolledBack
    case manifestInvalid
    case sourceUnreachable
    case revisionApplied
}
