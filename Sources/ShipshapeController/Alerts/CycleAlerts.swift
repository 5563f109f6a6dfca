public import ShipshapeReconcile

/// Which alert events a reconcile cycle raises, decided from its outcome. Pure, so the rules are
/// tested on their own; `ReconcileCycle` sends what these return.
///
/// - before applying a plan with changes from a new revision: `revisionApplying`;
/// - manifests invalid: `manifestInvalid`, else its resolved notice;
/// - failed: `reconcileFailed` (with the failed resource), else (when applying) its resolved notice;
/// - applied changes from a new revision: `revisionApplied` with what changed;
/// - corrected drift: `driftCorrected`; drift left alone (self-heal off): `driftDetected`, else its
///   resolved notice.
public enum CycleAlerts {
    /// Fields whose values are shown in "what changed"; other fields show only their name (their
    /// values may be environment variables or other settings that should not leave the host).
    static let shownValues: Set<String> = ["image", "tag", "replicas", "ports", "instanceType", "class", "engine"]

    /// Events to send before applying `plan`.
    public static func beforeApply(_ plan: Plan) -> [AlertEvent] {
        let fromRevision = plan.changes.filter { $0.reason != .drift }
        guard !fromRevision.isEmpty else { return [] }
        return [
            AlertEvent(
                .revisionApplying, environment: plan.environment, revision: plan.revision,
                summary: "Applying \(PlanRenderer.shortRevision(plan.revision)) to \(plan.environment): \(plan.summary)",
                changes: fromRevision.map(line))
        ]
    }

    /// Events to send after a cycle of `environment` at `revision`. `applied` is false for plan-only
    /// and dry-run cycles (which neither resolve failures nor report applied revisions).
    public static func after(
        environment: String,
        revision: String,
        result: ShipshapeMetrics.CycleResult,
        plan: Plan?,
        report: ApplyReport?,
        errors: [String],
        message: String?,
        applied: Bool
    ) -> [AlertEvent] {
        let short = PlanRenderer.shortRevision(revision)
        var events: [AlertEvent] = []
        switch result {
        case .skipped:
            return []
        case .invalid:
            events.append(
                AlertEvent(
                    .manifestInvalid, environment: environment, revision: revision,
                    summary: message ?? "Manifests of \(short) are invalid for \(environment); nothing applied",
                    details: Array(errors.prefix(20))))
            return events
        case .failure:
            events.append(.resolved(.manifestInvalid, environment: environment, revision: revision))
            events.append(
                AlertEvent(
                    .reconcileFailed, environment: environment, revision: revision,
                    resource: report?.failure.map { $0.resource.description },
                    summary: message ?? "Reconciling \(environment) at \(short) failed",
                    details: message.map { [$0] } ?? []))
        case .success:
            events.append(.resolved(.manifestInvalid, environment: environment, revision: revision))
            guard applied else { break }
            events.append(.resolved(.reconcileFailed, environment: environment, revision: revision))
        }
        guard let plan else { return events }
        let done = Set(report?.applied ?? [])
        if applied {
            let fromRevision = plan.changes.filter { $0.reason != .drift && done.contains($0.resource) }
            if !fromRevision.isEmpty && result == .success {
                events.append(
                    AlertEvent(
                        .revisionApplied, environment: environment, revision: revision,
                        summary: "Applied \(short) to \(environment): \(fromRevision.count) change(s)",
                        changes: fromRevision.map(line)))
            }
            let corrected = plan.changes.filter { $0.reason == .drift && done.contains($0.resource) }
            if !corrected.isEmpty {
                events.append(
                    AlertEvent(
                        .driftCorrected, environment: environment, revision: revision,
                        summary: "Corrected drift of \(corrected.count) resource(s) in \(environment)",
                        changes: corrected.map(line)))
            }
        }
        if plan.detectedDrift.isEmpty {
            events.append(.resolved(.driftDetected, environment: environment, revision: revision))
        } else {
            events.append(
                AlertEvent(
                    .driftDetected, environment: environment, revision: revision,
                    summary: "\(plan.detectedDrift.count) resource(s) in \(environment) differ from \(short); self-heal is off",
                    changes: plan.detectedDrift.map(line)))
        }
        return events
    }

    /// `~ service/api: tag 1.0.0 → 1.0.1, env` — values only for `shownValues`.
    public static func line(_ change: Change) -> String {
        let symbol: String
        switch change.action {
        case .create: symbol = "+"
        case .update: symbol = "~"
        case .replace: symbol = "±"
        case .delete: symbol = "-"
        }
        let fields = change.fields.prefix(8).map { field -> String in
            guard shownValues.contains(field.path) else { return field.path }
            return "\(field.path) \(field.before.map { "\($0)" } ?? "∅") → \(field.after.map { "\($0)" } ?? "∅")"
        }
        let more = change.fields.count > 8 ? ", …" : ""
        return "\(symbol) \(change.resource)" + (fields.isEmpty ? "" : ": " + fields.joined(separator: ", ") + more)
    }
}
