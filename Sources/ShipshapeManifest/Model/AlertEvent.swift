/// Events the controller can alert on.
public enum AlertEvent: String, Sendable, Hashable, CaseIterable {
    /// A reconcile cycle failed.
    case reconcileFailed
    /// Live state differs from the manifests.
    case driftDetected
    /// Drift was reverted.
    case driftCorrected
    /// A rollout failed its health checks and was rolled back.
    case rolloutRolledBack
    /// A new revision has manifest errors and is not applied.
    case manifestInvalid
    /// The Git source could not be reached for several cycles.
    case sourceUnreachable
    /// A new revision was applied.
    case revisionApplied
}
