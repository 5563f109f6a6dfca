import ShipshapeController
import ShipshapeReconcile
import Testing

/// Which events a cycle's outcome raises.
@Suite("Cycle alerts")
struct CycleAlertsTests {
    static let revision = String(repeating: "d", count: 40)
    static let api = ResourceID(.service, "api")

    static func change(_ reason: Change.Reason) -> Change {
        Change(
            resource: api, action: .update, reason: reason,
            fields: [
                FieldChange(path: "tag", before: .string("1.0.0"), after: .string("1.0.1"), effect: .replace),
                FieldChange(path: "env", before: .string("password=hunter2"), after: .string("password=x"), effect: .replace),
            ],
            disruptive: true, desired: nil, live: nil)
    }

    static func plan(changes: [Change], drift: [Change] = []) -> Plan {
        Plan(environment: "prod", revision: revision, changes: changes, unchanged: [], orphaned: [], detectedDrift: drift)
    }

    @Test("a new revision applied: applying first, then applied with what changed; failures resolved")
    func applied() {
        let plan = Self.plan(changes: [Self.change(.newRevision)])
        let before = CycleAlerts.beforeApply(plan)
        #expect(before.map(\.kind) == [.revisionApplying])
        var report = ApplyReport()
        report.applied = [Self.api]
        let after = CycleAlerts.after(
            environment: "prod", revision: Self.revision, result: .success, plan: plan, report: report, errors: [],
            message: nil, applied: true)
        #expect(after.map(\.kind) == [.manifestInvalid, .reconcileFailed, .revisionApplied, .driftDetected])
        #expect(after.map(\.status) == [.resolved, .resolved, .firing, .resolved])
        #expect(after[2].changes == ["~ service/api: tag \"1.0.0\" → \"1.0.1\", env"])
        #expect(!after[2].changes.joined().contains("hunter2"), "only allow-listed fields show values")
    }

    @Test("failure is reported with its message; invalid manifests carry the diagnostics; plan-only resolves nothing")
    func failures() {
        let failed = CycleAlerts.after(
            environment: "prod", revision: Self.revision, result: .failure, plan: Self.plan(changes: [Self.change(.newRevision)]),
            report: nil, errors: [], message: "update service/api failed: unhealthy", applied: true)
        #expect(failed.map(\.kind) == [.manifestInvalid, .reconcileFailed, .driftDetected])
        #expect(failed[1].status == .firing)
        #expect(failed[1].summary == "update service/api failed: unhealthy")
        let invalid = CycleAlerts.after(
            environment: "prod", revision: Self.revision, result: .invalid, plan: nil, report: nil,
            errors: ["prod.yaml:3:5: unknown key `servics`"], message: "manifests invalid", applied: true)
        #expect(invalid.map(\.kind) == [.manifestInvalid])
        #expect(invalid[0].details == ["prod.yaml:3:5: unknown key `servics`"])
        let planOnly = CycleAlerts.after(
            environment: "prod", revision: Self.revision, result: .success, plan: Self.plan(changes: []), report: nil,
            errors: [], message: nil, applied: false)
        #expect(!planOnly.contains { $0.kind == .reconcileFailed })
    }

    @Test("drift: corrected when self-heal applied it, detected when left alone")
    func drift() {
        var report = ApplyReport()
        report.applied = [Self.api]
        let healed = CycleAlerts.after(
            environment: "prod", revision: Self.revision, result: .success, plan: Self.plan(changes: [Self.change(.drift)]),
            report: report, errors: [], message: nil, applied: true)
        #expect(healed.filter { $0.status == .firing }.map(\.kind) == [.driftCorrected])
        let left = CycleAlerts.after(
            environment: "prod", revision: Self.revision, result: .success, plan: Self.plan(changes: [], drift: [Self.change(.drift)]),
            report: ApplyReport(), errors: [], message: nil, applied: true)
        #expect(left.filter { $0.status == .firing }.map(\.kind) == [.driftDetected])
        #expect(left.last.map { "\($0.severity)" } == "warning")
    }
}
