import Foundation
import Logging
import Prometheus
import ShipshapeReconcile

extension ReconcileCycle {
    /// Reports an apply of `environment` that a crash cut short, once, when a controller starts: the
    /// previous one left its apply journal behind (see `ApplyJournalRecord`).
    ///
    /// What "resume" means: nothing is replayed from the journal. The next cycle observes the live
    /// state and plans from it as always (level-triggered), so whatever the cut-short apply changed or
    /// left half done shows up as a difference and is converged; in addition, each change that was in
    /// flight is applied again even when its resource looks in sync (reason `interrupted`), so its
    /// provider can finish steps the observed state does not show. Providers are idempotent: running a
    /// step again after a crash is safe.
    ///
    /// The report: an error log line `Apply interrupted`, `shipshape_apply_interrupted_total{env}`,
    /// the status's `interruptedApply`, a history entry with result `interrupted`, and an
    /// `applyInterrupted` alert. The journal stays (marked reported) until the next apply replaces it.
    public func reportInterruptedApply(environment name: String) async {
        var logger = logger
        logger[metadataKey: "env"] = "\(name)"
        let record: ApplyJournalRecord
        do {
            guard let found = try await store.journal(name), found.reportedAt == nil else { return }
            record = found
        } catch {
            logger.error("Apply journal unreadable", metadata: ["error": "\(error)"])
            return
        }
        // Every change had ended: the controller stopped after the apply, before closing its journal.
        if record.steps.allSatisfy({ $0.state == .applied || $0.state == .failed }) {
            do {
                try await store.removeJournal(name)
            } catch {
                logger.error("Cannot remove the apply journal", metadata: ["error": "\(error)"])
            }
            return
        }
        let inFlight = record.interruptedResources.map(\.description)
        let notStarted = record.steps.filter { $0.state == .pending && !inFlight.contains($0.resource) }.map(\.resource)
        let short = PlanRenderer.shortRevision(record.revision)
        let summary =
            "The apply of \(short) to \(name) started \(record.startedAt.formatted(.iso8601)) was interrupted (the controller stopped mid-apply); "
            + (inFlight.isEmpty ? "no change was in flight" : "in flight: \(inFlight.joined(separator: ", "))")
            + "; the next cycle re-plans from the live state and applies the interrupted changes again"
        logger.error(
            "Apply interrupted",
            metadata: [
                "revision": "\(short)", "plan.id": "\(record.planID)",
                "interrupted.reconcile.id": "\(record.reconcileID)",
                "started": "\(record.startedAt.formatted(.iso8601))", "in.flight": "\(inFlight.joined(separator: ","))",
                "not.started": "\(notStarted.joined(separator: ","))",
            ])
        metrics?.applyInterrupted(env: name).increment()
        let detectedAt = now()
        await status?.update(name) { status in
            status.interruptedApply = InterruptedApply(
                revision: record.revision, planID: record.planID, startedAt: record.startedAt, detectedAt: detectedAt,
                inFlight: inFlight)
        }
        do {
            try await store.appendHistory(
                HistoryEntry(
                    time: detectedAt, revision: record.revision, result: "interrupted", plan: nil,
                    durationSeconds: max(0, detectedAt.timeIntervalSince(record.startedAt)), message: summary),
                for: name)
        } catch {
            logger.error("Cannot write history", metadata: ["error": "\(error)"])
        }
        alerts?.send(
            AlertEvent(
                .applyInterrupted, environment: name, revision: record.revision, summary: summary,
                details: inFlight.map { "in flight: \($0)" } + notStarted.map { "not started: \($0)" }))
        do {
            try await store.updateJournal(name) { $0.reportedAt = detectedAt }
        } catch {
            logger.error("Cannot mark the apply journal reported", metadata: ["error": "\(error)"])
        }
    }
}
