import Foundation
import Logging
import ShipshapeController
import ShipshapeReconcile
import ShipshapeTesting
import Testing

/// The apply journal in the state directory, and how a starting controller reports what it finds.
@Suite("Apply journal")
struct ApplyJournalTests {
    func change(_ name: String, reason: Change.Reason = .newRevision) -> Change {
        Change(
            resource: ResourceID(.service, name), action: .update, reason: reason, fields: [], disruptive: false,
            desired: nil, live: nil)
    }

    @Test("an apply cut short is reported once: log, metric, status, history; the in-flight changes are named")
    func reportedOnce() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-journal")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let plan = Plan(
            environment: "dev", revision: String(repeating: "a", count: 40),
            changes: [change("api"), change("web"), change("worker", reason: .interrupted), change("db")],
            unchanged: [], orphaned: [], detectedDrift: [])
        // Whole seconds: the file stores ISO 8601 times.
        var record = ApplyJournalRecord(
            plan: plan, planID: "p1", reconcileID: "r1", startedAt: Date(timeIntervalSince1970: 1_800_000_000), pid: 1)
        record.steps[0].state = .applied
        record.steps[1].state = .started
        try await store.saveJournal(record, for: "dev")
        #expect(try await store.journal("dev") == record)
        // Started and never ended, and a pending re-application of an earlier interrupted change.
        #expect(record.interruptedResources == [ResourceID(.service, "web"), ResourceID(.service, "worker")])

        let metrics = ShipshapeMetrics(environments: ["dev"])
        let status = StatusBoard(environments: ["dev"])
        let cycle = ReconcileCycle(
            reconciler: Reconciler(providers: []), store: store, metrics: metrics, status: status, dryRun: false,
            logger: Logger(label: "test"))
        await cycle.reportInterruptedApply(environment: "dev")
        await cycle.reportInterruptedApply(environment: "dev")

        let history = try await store.history("dev")
        #expect(history.map(\.result) == ["interrupted"])
        #expect(history.first?.message?.contains("service/web, service/worker") == true)
        let interrupted = await status.snapshot().environments.first?.interruptedApply
        #expect(interrupted?.inFlight == ["service/web", "service/worker"])
        #expect(interrupted?.revision == plan.revision)
        #expect(
            String(decoding: metrics.render(), as: UTF8.self).contains(
                "shipshape_apply_interrupted_total{env=\"dev\"} 1"))
        // Kept (marked reported) for the next cycle, which re-applies the in-flight changes.
        #expect(try await store.journal("dev")?.reportedAt != nil)

        try await store.removeJournal("dev")
        #expect(try await store.journal("dev") == nil)
        try await store.removeJournal("dev")
    }

    @Test("a journal whose every change ended is not an interruption: removed without a report")
    func everyChangeEnded() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-journal")
        defer { directory.remove() }
        let store = try StateStore(directory: directory.path)
        let plan = Plan(
            environment: "dev", revision: "r", changes: [change("api")], unchanged: [], orphaned: [], detectedDrift: [])
        var record = ApplyJournalRecord(plan: plan, planID: "p1", reconcileID: "r1", startedAt: Date(), pid: 1)
        record.steps[0].state = .failed
        try await store.saveJournal(record, for: "dev")
        let cycle = ReconcileCycle(
            reconciler: Reconciler(providers: []), store: store, metrics: nil, status: nil, dryRun: false,
            logger: Logger(label: "test"))
        await cycle.reportInterruptedApply(environment: "dev")
        #expect(try await store.history("dev").isEmpty)
        #expect(try await store.journal("dev") == nil)
    }
}
