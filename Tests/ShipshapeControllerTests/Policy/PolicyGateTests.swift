import Foundation
import ShipshapeController
@testable import ShipshapeManifest
import ShipshapeReconcile
import Testing

@Suite("Policy gate")
struct PolicyGateTests {
    func change(_ name: String, disruptive: Bool, value: String = "b") -> Change {
        Change(
            resource: ResourceID(.instance, name), action: .update, reason: .newRevision,
            fields: [FieldChange(path: "type", before: .string("a"), after: .string(value), effect: disruptive ? .disruptive : .inPlace)],
            disruptive: disruptive, desired: nil, live: nil)
    }

    func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// Sundays 02:00–04:00 UTC.
    var window: MaintenanceSchedule {
        get throws {
            MaintenanceSchedule(schedule: try CronSchedule.parse("0 2 * * sun").get(), duration: .seconds(7200))
        }
    }

    @Test("without approval or window every change runs")
    func open() {
        let decision = PolicyGate(policy: Policy()).decide(
            environment: "prod", changes: [change("a", disruptive: true)], now: Date(), approved: { _ in false })
        #expect(decision.held.isEmpty && decision.allowed.count == 1)
    }

    @Test("approval: disruptive holds only disruptive changes until that plan id is approved")
    func approval() {
        let gate = PolicyGate(policy: Policy(approval: .disruptive))
        let changes = [change("a", disruptive: true), change("b", disruptive: false)]
        let held = gate.decide(environment: "prod", changes: changes, now: Date(), approved: { _ in false })
        #expect(held.allowed.map(\.resource.name) == ["b"])
        #expect(held.held.map(\.resource.name) == ["a"])
        #expect(held.waitingFor == "approval")
        let id = PolicyGate.planID(environment: "prod", changes: held.held)
        #expect(PlanApproval.isPlanID(id))
        #expect(held.approvedPlan == nil)
        let approved = gate.decide(environment: "prod", changes: changes, now: Date(), approved: { $0 == id })
        #expect(approved.held.isEmpty && approved.allowed.count == 2)
        #expect(approved.approvedPlan == id)
    }

    @Test("a plan whose inputs changed has a new id and needs a new approval; the same changes keep their id")
    func newInputsNewID() {
        let first = PolicyGate.planID(environment: "prod", changes: [change("a", disruptive: true)])
        #expect(first == PolicyGate.planID(environment: "prod", changes: [change("a", disruptive: true)]))
        #expect(first != PolicyGate.planID(environment: "staging", changes: [change("a", disruptive: true)]))
        #expect(first != PolicyGate.planID(environment: "prod", changes: [change("a", disruptive: true, value: "c")]))
        #expect(first != PolicyGate.planID(environment: "prod", changes: [change("b", disruptive: true)]))
    }

    @Test("approval: always holds every change")
    func always() {
        let decision = PolicyGate(policy: Policy(approval: .always)).decide(
            environment: "prod", changes: [change("b", disruptive: false)], now: Date(), approved: { _ in false })
        #expect(decision.held.count == 1 && decision.allowed.isEmpty)
    }

    @Test("a maintenance window lets disruptive changes run inside it only")
    func maintenanceWindow() throws {
        let gate = PolicyGate(policy: Policy(maintenanceWindow: try window))
        let changes = [change("a", disruptive: true)]
        // 2026-11-22 is a Sunday.
        let inside = gate.decide(environment: "p", changes: changes, now: date("2026-11-22T03:59:00Z"), approved: { _ in false })
        #expect(inside.held.isEmpty)
        let before = gate.decide(environment: "p", changes: changes, now: date("2026-11-22T01:59:00Z"), approved: { _ in false })
        #expect(before.held.count == 1 && before.waitingFor == "maintenance-window")
        let after = gate.decide(environment: "p", changes: changes, now: date("2026-11-22T04:00:00Z"), approved: { _ in false })
        #expect(after.held.count == 1)
        let monday = gate.decide(environment: "p", changes: changes, now: date("2026-11-23T02:30:00Z"), approved: { _ in false })
        #expect(monday.held.count == 1)
    }

    @Test("approval: disruptive with a window: inside the window no approval is needed")
    func windowOrApproval() throws {
        let gate = PolicyGate(policy: Policy(approval: .disruptive, maintenanceWindow: try window))
        let changes = [change("a", disruptive: true)]
        #expect(gate.decide(environment: "p", changes: changes, now: date("2026-11-22T02:00:00Z"), approved: { _ in false }).held.isEmpty)
        #expect(gate.decide(environment: "p", changes: changes, now: date("2026-11-24T12:00:00Z"), approved: { _ in false }).waitingFor == "approval")
    }
}
