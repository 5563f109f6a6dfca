import Foundation
public import Logging
import Prometheus
public import ShipshapeManifest
public import ShipshapeReconcile

/// One reconcile cycle for one environment, as ordered steps that stop at the first that fails or
/// waits: validate the revision's manifests, observe and plan, hold what policy holds, apply, record.
///
/// A revision whose manifests have any error for this environment is not applied at all: the last
/// good state stays in force. A suspended environment is not touched.
public struct ReconcileCycle: Sendable {
    public let reconciler: Reconciler
    public let store: StateStore
    public let metrics: ShipshapeMetrics?
    public let status: StatusBoard?
    public let dryRun: Bool
    public let logger: Logger
    /// The leader lease when several controllers run: only the leader applies AWS changes.
    public let leadership: Leadership?
    /// Where the cycle's alert events go (`CycleAlerts`); nil sends none.
    public let alerts: AlertDispatcher<ContinuousClock>?
    let now: @Sendable () -> Date

    public init(
        reconciler: Reconciler,
        store: StateStore,
        metrics: ShipshapeMetrics?,
        status: StatusBoard?,
        dryRun: Bool,
        logger: Logger,
        leadership: Leadership? = nil,
        alerts: AlertDispatcher<ContinuousClock>? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.leadership = leadership
        self.alerts = alerts
        self.reconciler = reconciler
        self.store = store
        self.metrics = metrics
        self.status = status
        self.dryRun = dryRun
        self.logger = logger
        self.now = now
    }

    /// How a cycle ended.
    public struct Outcome: Sendable {
        public var result: ShipshapeMetrics.CycleResult
        public var plan: Plan?
        public var report: ApplyReport?
        /// Manifest problems that stopped the cycle (errors) or were noted (warnings).
        public var diagnostics: [Diagnostic] = []
        /// Why the cycle failed or held changes back, for people; never contains secrets.
        public var message: String?
        /// Changes held for approval or a maintenance window.
        public var pending: PendingApproval?
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
        await report(outcome, environment: name, snapshot: snapshot, apply: apply, elapsed: elapsed, logger: logger)
        return outcome
    }

    // MARK: Steps

    private func steps(_ name: String, snapshot: ManifestSnapshot, apply: Bool, logger: Logger) async -> Outcome {
        let state: EnvironmentState
        do {
            state = try await store.load(name)
        } catch {
            return Outcome(result: .failure, message: "\(error)")
        }
        if apply && state.suspended {
            return Outcome(result: .skipped, message: "suspended: nothing is observed or changed until `shipshape resume \(name)`")
        }
        // An apply cut short (see `reportInterruptedApply`): its changes in flight are applied again.
        let interrupted: [ResourceID]
        do {
            interrupted = try await store.journal(name)?.interruptedResources ?? []
        } catch {
            logger.error("Apply journal unreadable; it is replaced by this cycle's", metadata: ["error": "\(error)"])
            interrupted = []
        }

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

        // 2. Observe and plan.
        var plan: Plan
        do {
            var inputs = plannerInputs(environment, snapshot: snapshot, state: state)
            inputs.interrupted = Set(interrupted)
            plan = try await reconciler.plan(environment, inputs: inputs)
        } catch is CancellationError {
            return Outcome(result: .skipped, diagnostics: diagnostics, message: "cancelled")
        } catch {
            return Outcome(result: .failure, diagnostics: diagnostics, message: "observing live state failed: \(error)")
        }
        recordResources(plan)
        guard apply && !dryRun else {
            return Outcome(result: .success, plan: plan, diagnostics: diagnostics)
        }
        let policy = environment.spec.policy
        if let limit = policy.maxChanges, plan.changes.count > limit {
            return Outcome(
                result: .failure, plan: plan, diagnostics: diagnostics,
                message:
                    "plan has \(plan.changes.count) changes, more than policy.maxChanges (\(limit)); nothing applied — raise the limit or split the change"
            )
        }

        // 3. Hold what may not run now: a revision that already failed for good is not rolled out
        // again (each attempt would stop and restart the old containers; drift is still corrected),
        // and disruptive changes wait for a maintenance window or an approval.
        var heldMessages: [String] = []
        if state.failedRevision == snapshot.revision {
            let failed = plan.changes.filter { $0.reason == .newRevision }
            if !failed.isEmpty {
                plan.changes.removeAll { $0.reason == .newRevision }
                heldMessages.append(
                    "revision \(PlanRenderer.shortRevision(snapshot.revision)) failed earlier (\(state.failedReason ?? "unknown")); \(failed.count) change(s) held until a new commit"
                )
            }
        }
        let decision = PolicyGate(policy: policy).decide(
            environment: name, changes: plan.changes, now: now(),
            approved: { id in state.approvedPlans.contains(id) || snapshot.approvals.contains { $0.plan == id } })
        if let approved = decision.approvedPlan {
            let byCommit = state.approvedPlans.contains(approved) ? nil : snapshot.approvals.last { $0.plan == approved }
            logger.notice(
                "Running an approved plan",
                metadata: [
                    "plan.id": "\(approved)",
                    "approved.by": "\(byCommit.map { "signed commit \($0.revision.prefix(12)) (\($0.signer))" } ?? "shipshape approve")",
                ])
        }
        var pending: PendingApproval?
        if !decision.held.isEmpty, let waitingFor = decision.waitingFor {
            plan.changes = decision.allowed
            let id = PolicyGate.planID(environment: name, changes: decision.held)
            pending = PendingApproval(
                id: id, revision: snapshot.revision,
                changes: decision.held.map { "\($0.action.rawValue) \($0.resource) (\($0.reason.rawValue))" },
                waitingFor: waitingFor,
                since: state.pendingApproval?.id == id ? state.pendingApproval!.since : now())
            heldMessages.append(
                waitingFor == "approval"
                    ? "\(decision.held.count) disruptive change(s) wait for approval: shipshape approve \(id) --env \(name)"
                    : "\(decision.held.count) disruptive change(s) wait for the maintenance window (\(policy.maintenanceWindow?.schedule.description ?? ""))"
            )
            logger.notice("Changes held", metadata: ["plan.id": "\(id)", "waiting.for": "\(waitingFor)"])
        }

        // 4. Apply — AWS changes only under the leader lease, checked again before every step.
        var generation: Int?
        if let leadership {
            generation = await leadership.generation()
            if generation == nil {
                let shared = plan.changes.filter { !Leadership.hostScoped.contains($0.resource.kind) }
                if !shared.isEmpty {
                    plan.changes.removeAll { !Leadership.hostScoped.contains($0.resource.kind) }
                    heldMessages.append("not the leader: \(shared.count) AWS change(s) left to the controller holding the lease")
                }
            }
        }
        // The journal names the changes in flight until the apply is over (durably, before each
        // change starts), so that a controller killed meanwhile knows what was cut short.
        if !plan.changes.isEmpty {
            let record = ApplyJournalRecord(
                plan: plan,
                planID: PolicyGate.planID(environment: name, changes: plan.changes),
                reconcileID: logger[metadataKey: "reconcile.id"].map { "\($0)" } ?? "", startedAt: now(),
                pid: getpid())
            do {
                try await store.saveJournal(record, for: name)
            } catch {
                return Outcome(
                    result: .failure, plan: plan, diagnostics: diagnostics,
                    message: "cannot write the apply journal (\(error)); nothing applied", pending: pending)
            }
        }
        for event in CycleAlerts.beforeApply(plan) { alerts?.send(event) }
        let lease = leadership?.lease
        let heldGeneration = generation
        let metrics = metrics
        let report = await reconciler.apply(
            plan, logger: logger,
            journal: EnvironmentJournal(store: store, environment: name, now: now, logger: logger),
            mayProceed: { change in
                guard let lease, !Leadership.hostScoped.contains(change.resource.kind) else { return true }
                guard let heldGeneration else { return false }
                return await lease.isValid(generation: heldGeneration)
            }
        ) { change, outcome in
            let result: String
            switch outcome {
            case .applied: result = "success"
            case .failed: result = "failure"
            }
            metrics?.applyOperations(env: name, kind: change.resource.kind, action: change.action, result: result)
                .increment()
        }

        // 5. Remember what was applied, to tell drift from new revisions next time; then the apply is
        // over and its journal goes.
        do {
            try await store.update(name) { state in
                for id in plan.unchanged + report.applied {
                    if let print = plan.fingerprints[id] { state.appliedFingerprints[id.description] = print }
                }
                for change in plan.changes where change.action == .delete && report.applied.contains(change.resource) {
                    state.appliedFingerprints[change.resource.description] = nil
                }
                state.pendingApproval = pending
                // An approval is for one run of those changes: once they ran, it is spent.
                if let approved = decision.approvedPlan, report.succeeded {
                    state.approvedPlans.removeAll { $0 == approved }
                }
                if report.succeeded && heldMessages.isEmpty {
                    state.lastAppliedRevision = snapshot.revision
                    state.failedRevision = nil
                    state.failedReason = nil
                }
                if let failure = report.failure, ErrorDisposition.of(failure.error) == .stalled {
                    state.failedRevision = snapshot.revision
                    state.failedReason = "\(failure.action.rawValue) \(failure.resource): \(failure.error)"
                }
            }
        } catch {
            logger.error("Cannot save state", metadata: ["error": "\(error)"])
        }
        do {
            try await store.removeJournal(name)
        } catch {
            logger.error("Cannot remove the apply journal", metadata: ["error": "\(error)"])
        }
        if let failure = report.failure {
            return Outcome(
                result: .failure, plan: plan, report: report, diagnostics: diagnostics,
                message: "\(failure.action.rawValue) \(failure.resource) failed: \(failure.error)", pending: pending)
        }
        if !heldMessages.isEmpty {
            // Held changes are not a failure of the cycle: what could run, ran.
            return Outcome(
                result: .success, plan: plan, report: report, diagnostics: diagnostics,
                message: heldMessages.joined(separator: "; "), pending: pending)
        }
        return Outcome(result: .success, plan: plan, report: report, diagnostics: diagnostics)
    }

    private func plannerInputs(_ environment: Environment, snapshot: ManifestSnapshot, state: EnvironmentState)
        -> Planner.Inputs
    {
        var fingerprints: [ResourceID: String] = [:]
        for (key, value) in state.appliedFingerprints {
            if let id = ResourceID(label: key) { fingerprints[id] = value }
        }
        let policy = environment.spec.policy
        return Planner.Inputs(
            environment: environment.name,
            revision: snapshot.revision,
            selfHeal: policy.selfHeal,
            detectOnly: Set(policy.detectOnly.flatMap(Self.kinds)),
            prune: policy.prune,
            appliedFingerprints: fingerprints
        )
    }

    /// The resource kinds a manifest section declares.
    static func kinds(_ section: ShipshapeManifest.ResourceSection) -> [ResourceKind] {
        switch section {
        case .services: [.service, .ecsService, .image]
        case .instances: [.instance]
        case .databases: [.database]
        case .securityGroups: [.securityGroup]
        }
    }

    // MARK: Reporting

    private func report(
        _ outcome: Outcome, environment name: String, snapshot: ManifestSnapshot, apply: Bool, elapsed: Duration,
        logger: Logger
    ) async {
        recordMetrics(outcome, environment: name, revision: snapshot.revision, elapsed: elapsed)
        let converged = apply && !dryRun && outcome.result == .success && outcome.pending == nil
            && outcome.message == nil
        await status?.update(name) { status in
            status.latestRevision = snapshot.revision
            status.lastCycleAt = now()
            status.lastCycleDurationSeconds = elapsed.seconds
            status.message = outcome.message
            status.pendingApproval = outcome.pending
            status.diagnostics = outcome.diagnostics.filter { $0.severity == .error }.map(\.description)
            if let plan = outcome.plan {
                status.lastPlan = plan.summary.description
                status.drifted = plan.changes.filter { $0.reason == .drift }.count + plan.detectedDrift.count
            }
            switch outcome.result {
            case .success:
                status.result = converged ? .converged : (apply && !dryRun ? .held : .planned)
                if converged { status.appliedRevision = snapshot.revision }
            case .failure: status.result = .failed
            case .invalid: status.result = .invalid
            case .skipped:
                if outcome.message?.hasPrefix("suspended") == true { status.result = .suspended }
            }
        }
        if let alerts {
            let events = CycleAlerts.after(
                environment: name, revision: snapshot.revision, result: outcome.result, plan: outcome.plan,
                report: outcome.report, errors: outcome.diagnostics.filter { $0.severity == .error }.map(\.description),
                message: outcome.message, applied: apply && !dryRun)
            for event in events { alerts.send(event) }
            if let failure = outcome.report?.failure, ErrorDisposition.rolledBack(failure.error) {
                alerts.send(
                    AlertEvent(
                        .rolledBack, environment: name, revision: snapshot.revision,
                        resource: failure.resource.description,
                        summary: "\(failure.resource) rolled back: the new version of \(PlanRenderer.shortRevision(snapshot.revision)) failed",
                        details: ["\(failure.error)"]))
            }
            if let pending = outcome.pending {
                alerts.send(
                    AlertEvent(
                        .approvalPending, environment: name, revision: snapshot.revision,
                        summary:
                            "\(pending.changes.count) disruptive change(s) in \(name) wait for \(pending.waitingFor): shipshape approve \(pending.id) --env \(name)",
                        changes: pending.changes))
            } else if apply && !dryRun && outcome.result == .success {
                alerts.send(.resolved(.approvalPending, environment: name, revision: snapshot.revision))
            }
        }
        if apply && outcome.result != .skipped {
            let entry = HistoryEntry(
                time: now(), revision: snapshot.revision, result: outcome.result.rawValue,
                plan: outcome.plan?.summary.description, durationSeconds: elapsed.seconds, message: outcome.message)
            do {
                try await store.appendHistory(entry, for: name)
            } catch {
                logger.error("Cannot write history", metadata: ["error": "\(error)"])
            }
        }
        switch outcome.result {
        case .success:
            logger.info(
                "Reconciled",
                metadata: [
                    "plan": "\(outcome.plan?.summary.description ?? "none")", "duration": "\(elapsed)",
                    "held": "\(outcome.message ?? "none")",
                ])
        case .invalid, .failure:
            logger.error("Reconcile failed", metadata: ["error": "\(outcome.message ?? "unknown")"])
        case .skipped:
            logger.debug("Cycle skipped", metadata: ["reason": "\(outcome.message ?? "")"])
        }
    }

    private func recordResources(_ plan: Plan) {
        guard let metrics else { return }
        var inSync: [ResourceKind: Int] = [:]
        var drifted: [ResourceKind: Int] = [:]
        for id in plan.unchanged { inSync[id.kind, default: 0] += 1 }
        for change in plan.changes + plan.detectedDrift where change.reason == .drift {
            drifted[change.resource.kind, default: 0] += 1
            metrics.driftDetected(env: plan.environment, kind: change.resource.kind).increment()
        }
        for kind in ResourceKind.allCases {
            metrics.resources(env: plan.environment, kind: kind, status: "in_sync").set(Double(inSync[kind] ?? 0))
            metrics.resources(env: plan.environment, kind: kind, status: "drifted").set(Double(drifted[kind] ?? 0))
        }
    }

    private func recordMetrics(_ outcome: Outcome, environment: String, revision: String, elapsed: Duration) {
        guard let metrics else { return }
        metrics.suspended(env: environment).set(outcome.message?.hasPrefix("suspended") == true ? 1.0 : 0.0)
        metrics.pendingApprovalAge(env: environment).set(
            outcome.pending.map { now().timeIntervalSince($0.since) } ?? 0)
        guard outcome.result != .skipped else { return }
        metrics.reconcileTotal(env: environment, result: outcome.result).increment()
        metrics.reconcileDuration(env: environment).record(elapsed)
        metrics.manifestValid(env: environment).set(outcome.result == .invalid ? 0.0 : 1.0)
        if outcome.result == .success && !dryRun && outcome.report != nil && outcome.pending == nil
            && outcome.message == nil
        {
            metrics.lastSuccessfulReconcile(env: environment).set(now().timeIntervalSince1970)
            metrics.setLastApplied(env: environment, revision: revision)
        }
        if let failed = outcome.report?.failure {
            metrics.resources(env: environment, kind: failed.resource.kind, status: "failed").set(1.0)
        } else if outcome.report != nil {
            for kind in ResourceKind.allCases {
                metrics.resources(env: environment, kind: kind, status: "failed").set(0.0)
            }
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
