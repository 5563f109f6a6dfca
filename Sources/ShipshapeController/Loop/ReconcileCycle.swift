import Foundation
import Prometheus
public import Logging
public import ShipshapeManifest
public import ShipshapeReconcile

/// One reconcile cycle for one environment: validate the revision's manifests, observe, plan, and
/// (unless asked only to plan) apply; then record state, status and metrics.
///
/// The steps run in order and stop at the first that fails. A revision whose manifests have any
/// error for this environment is not applied at all: the last good state stays in force.
public struct ReconcileCycle: Sendable {
    public let reconciler: Reconciler
    public let store: StateStore
    public let metrics: ShipshapeMetrics?
    public let status: StatusBoard?
    public let dryRun: Bool
    public let logger: Logger
    /// Where the cycle's alert events go (`CycleAlerts`); nil sends none.
    public let alerts: AlertDispatcher<ContinuousClock>?

    public init(
        reconciler: Reconciler,
        store: StateStore,
        metrics: ShipshapeMetrics?,
        status: StatusBoard?,
        dryRun: Bool,
        logger: Logger,
        alerts: AlertDispatcher<ContinuousClock>? = nil
    ) {
        self.alerts = alerts
        self.reconciler = reconciler
        self.store = store
        self.metrics = metrics
        self.status = status
        self.dryRun = dryRun
        self.logger = logger
    }

    /// How a cycle ended.
    public struct Outcome: Sendable {
        public var result: ShipshapeMetrics.CycleResult
        public var plan: Plan?
        public var report: ApplyReport?
        /// Manifest problems that stopped the cycle (errors) or were noted (warnings).
        public var diagnostics: [Diagnostic] = []
        /// Why the cycle failed, for people; never contains secrets.
        public var message: String?
    }

    /// Runs the cycle. `apply: false` stops after the plan (for `shipshape plan`).
    public func run(environment name: String, snapshot: ManifestSnapshot, apply: Bool) async -> Outcome {
        let start = ContinuousClock.now
        var logger = logger
        logger[metadataKey: "env"] = "\(name)"
        logger[metadataKey: "revision"] = "\(PlanRenderer.shortRevision(snapshot.revision))"
        logger[metadataKey: "reconcile.id"] = "\(UUID().uuidString.prefix(8).lowercased())"

        let outcome = await steps(name, snapshot: snapshot, apply: apply, logger: logger)
        let elapsed = ContinuousClock.now - start
        record(outcome, environment: name, revision: snapshot.revision, elapsed: elapsed)
        await status?.update(name) { status in
            status.latestRevision = snapshot.revision
            status.lastCycleAt = Date()
            status.lastCycleDurationSeconds = elapsed.seconds
            status.message = outcome.message
            status.diagnostics = outcome.diagnostics.filter { $0.severity == .error }.map(\.description)
            if let plan = outcome.plan {
                status.lastPlan = plan.summary.description
                status.drifted = plan.changes.filter { $0.reason == .drift }.count + plan.detectedDrift.count
            }
            switch outcome.result {
            case .success:
                status.result = apply && !dryRun ? .converged : .planned
                if apply && !dryRun { status.appliedRevision = snapshot.revision }
            case .failure: status.result = .failed
            case .invalid: status.result = .invalid
            case .skipped: break
            }
        }
        if let alerts {
            let events = CycleAlerts.after(
                environment: name, revision: snapshot.revision, result: outcome.result, plan: outcome.plan,
                report: outcome.report, errors: outcome.diagnostics.filter { $0.severity == .error }.map(\.description),
                message: outcome.message, applied: apply && !dryRun)
            for event in events { alerts.send(event) }
        }
        switch outcome.result {
        case .success:
            logger.info(
                "Reconciled",
                metadata: [
                    "plan": "\(outcome.plan?.summary.description ?? "none")",
                    "duration": "\(elapsed)",
                ])
        case .invalid, .failure:
            logger.error("Reconcile failed", metadata: ["error": "\(outcome.message ?? "unknown")"])
        case .skipped:
            break
        }
        return outcome
    }

    private func steps(_ name: String, snapshot: ManifestSnapshot, apply: Bool, logger: Logger) async -> Outcome {
        // 1. Validate: nothing from a bad revision is applied.
        let diagnostics = snapshot.bundle.diagnostics(for: name)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let environment = snapshot.bundle.environments[name] else {
            let message: String
            if !snapshot.bundle.environmentNames.contains(name) {
                message = "environment \(name) is not defined in the manifests at this revision"
            } else {
                message =
                    "manifests invalid (\(errors.count) error(s)); first: \(errors.first?.description ?? "unknown"); the last good revision stays in force"
            }
            for error in errors { logger.error("Manifest error", metadata: ["diagnostic": "\(error)"]) }
            return Outcome(result: .invalid, diagnostics: diagnostics, message: message)
        }
        alerts?.setManifestRoutes(environment.spec.alerts, for: name)
        let state: EnvironmentState
        do {
            state = try await store.load(name)
        } catch {
            return Outcome(result: .failure, diagnostics: diagnostics, message: "\(error)")
        }

        // 2. Observe and plan.
        var fingerprints: [ResourceID: String] = [:]
        for (key, value) in state.appliedFingerprints {
            if let id = ResourceID(label: key) { fingerprints[id] = value }
        }
        let policy = environment.spec.policy
        let inputs = Planner.Inputs(
            environment: name,
            revision: snapshot.revision,
            selfHeal: policy.selfHeal,
            prune: policy.prune,
            appliedFingerprints: fingerprints
        )
        var plan: Plan
        do {
            plan = try await reconciler.plan(environment, inputs: inputs)
        } catch is CancellationError {
            return Outcome(result: .skipped, diagnostics: diagnostics, message: "cancelled")
        } catch {
            return Outcome(result: .failure, diagnostics: diagnostics, message: "observing live state failed: \(error)")
        }
        recordResources(plan)
        // A revision that already failed for good is not rolled out again (each attempt would stop
        // and restart the old containers); drift is still corrected.
        var held: [Change] = []
        if state.failedRevision == snapshot.revision {
            held = plan.changes.filter { $0.reason == .newRevision }
            plan.changes.removeAll { $0.reason == .newRevision }
        }
        let heldMessage =
            held.isEmpty
            ? nil
            : "revision \(PlanRenderer.shortRevision(snapshot.revision)) failed earlier (\(state.failedReason ?? "unknown")); \(held.count) change(s) held until a new commit"
        guard apply && !dryRun else {
            return Outcome(result: .success, plan: plan, diagnostics: diagnostics)
        }
        if let limit = policy.maxChanges, plan.changes.count > limit {
            return Outcome(
                result: .failure, plan: plan, diagnostics: diagnostics,
                message:
                    "plan has \(plan.changes.count) changes, more than policy.maxChanges (\(limit)); nothing applied — raise the limit or split the change"
            )
        }

        // 3. Apply.
        for event in CycleAlerts.beforeApply(plan) { alerts?.send(event) }
        let metrics = metrics
        let report = await reconciler.apply(plan, logger: logger) { change, outcome in
            let result: String
            switch outcome {
            case .applied: result = "success"
            case .failed: result = "failure"
            }
            metrics?.applyOperations(env: name, kind: change.resource.kind, action: change.action, result: result)
                .increment()
        }

        // 4. Remember what was applied, to tell drift from new revisions next time.
        var newState = state
        let applied = Set(report.applied)
        for id in plan.unchanged + report.applied {
            if let print = plan.fingerprints[id] { newState.appliedFingerprints[id.description] = print }
        }
        for change in plan.changes where change.action == .delete && applied.contains(change.resource) {
            newState.appliedFingerprints[change.resource.description] = nil
        }
        if report.succeeded && held.isEmpty {
            newState.lastAppliedRevision = snapshot.revision
            newState.failedRevision = nil
            newState.failedReason = nil
        }
        if let failure = report.failure, ErrorDisposition.of(failure.error) == .stalled {
            newState.failedRevision = snapshot.revision
            newState.failedReason = "\(failure.action.rawValue) \(failure.resource): \(failure.error)"
        }
        do {
            try await store.save(newState, for: name)
        } catch {
            logger.error("Cannot save state", metadata: ["error": "\(error)"])
        }
        if let failure = report.failure {
            return Outcome(
                result: .failure, plan: plan, report: report, diagnostics: diagnostics,
                message: "\(failure.action.rawValue) \(failure.resource) failed: \(failure.error)")
        }
        if let heldMessage {
            return Outcome(result: .failure, plan: plan, report: report, diagnostics: diagnostics, message: heldMessage)
        }
        return Outcome(result: .success, plan: plan, report: report, diagnostics: diagnostics)
    }

    private func recordResources(_ plan: Plan) {
        guard let metrics else { return }
        var inSync: [ShipshapeReconcile.ResourceKind: Int] = [:]
        var drifted: [ShipshapeReconcile.ResourceKind: Int] = [:]
        for id in plan.unchanged { inSync[id.kind, default: 0] += 1 }
        for change in plan.changes + plan.detectedDrift where change.reason == .drift {
            drifted[change.resource.kind, default: 0] += 1
            metrics.driftDetected(env: plan.environment, kind: change.resource.kind).increment()
        }
        for kind in ShipshapeReconcile.ResourceKind.allCases {
            metrics.resources(env: plan.environment, kind: kind, status: "in_sync").set(Double(inSync[kind] ?? 0))
            metrics.resources(env: plan.environment, kind: kind, status: "drifted").set(Double(drifted[kind] ?? 0))
        }
    }

    private func record(_ outcome: Outcome, environment: String, revision: String, elapsed: Duration) {
        guard let metrics, outcome.result != .skipped else { return }
        metrics.reconcileTotal(env: environment, result: outcome.result).increment()
        metrics.reconcileDuration(env: environment).record(elapsed)
        metrics.manifestValid(env: environment).set(outcome.result == .invalid ? 0.0 : 1.0)
        if outcome.result == .success && !dryRun && outcome.report != nil {
            metrics.lastSuccessfulReconcile(env: environment).set(Date().timeIntervalSince1970)
            metrics.setLastApplied(env: environment, revision: revision)
        }
        if let failed = outcome.report?.failure {
            metrics.resources(env: environment, kind: failed.resource.kind, status: "failed").set(1.0)
        } else if outcome.report != nil {
            for kind in ShipshapeReconcile.ResourceKind.allCases { metrics.resources(env: environment, kind: kind, status: "failed").set(0.0) }
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
