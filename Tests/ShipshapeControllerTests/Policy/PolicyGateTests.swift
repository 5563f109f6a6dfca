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
            environment: "prod", revision: "r", changes: [change("a", disruptive: true)], now: Date(), approved: { _ in false })
        #expect(decision.held.isEmpty && decision.allowed.count == 1)
    }

    @Test("approval: disruptive holds only disruptive changes until that plan id is approved")
    func approval() {
        let gate = PolicyGate(policy: Policy(approval: .disruptive))
        let changes = [change("a", disruptive: true), change("b", disruptive: false)]
        let held = gate.decide(environment: "prod", revision: "r", changes: changes, now: Date(), approved: { _ in false })
        #expect(held.allowed.map(\.resource.name) == ["b"])
        #expect(held.held.map(\.resource.name) == ["a"])
        #expect(held.waitingFor == "approval")
        let id = PolicyGate.planID(environment: "prod", revision: "r", changes: held.held)
        #expect(id.hasPrefix("plan-") && id.count == 17)
        let approved = gate.decide(environment: "prod", revision: "r", changes: changes, now: Date(), approved: { $0 == id })
        #expect(approved.held.isEmpty && approved.allowed.count == 2)
    }

    @Test("a plan whose inputs changed has a new id and needs a new approval")
    func newInputsNewID() {
        let first = PolicyGate.planID(environment: "prod", revision: "r1", changes: [change("a", disruptive: true)])
        #expect(first == PolicyGate.planID(environment: "prod", revision: "r1", changes: [change("a", disruptive: true)]))
        #expect(first != PolicyGate.planID(environment: "prod", revision: "r2", changes: [change("a", disruptive: true)]))
        #expect(first != PolicyGate.planID(environment: "prod", revision: "r1", changes: [change("a", disruptive: true, value: "c")]))
    }

    @Test("approval: always holds every change")
    func always() {
        let decision = PolicyGate(policy: Policy(approval: .always)).decide(
            environment: "prod", revision: "r", changes: [change("b", disruptive: false)], now: Date(), approved: { _ in false })
        #expect(decision.held.count == 1 && decision.allowed.isEmpty)
    }

    @Test("a maintenance window lets disruptive changes run inside it only")
    func maintenanceWindow() throws {
        let gate = PolicyGate(policy: Policy(maintenanceWindow: try window))
        let changes = [change("a", disruptive: true)]
        // 2026-11-22 is a Sunday.
        let inside = gate.decide(environment: "p", revision: "r", changes: changes, now: date("2026-11-22T03:59:00Z"), approved: { _ in false })
        #expect(inside.held.isEmpty)
        let before = gate.decide(environment: "p", revision: "r", changes: changes, now: date("2026-11-22T01:59:00Z"), approved: { _ in false })
        #expect(before.held.count == 1 && before.waitingFor == "maintenance-window")
        let after = gate.decide(environment: "p", revision: "r", changes: changes, now: date("2026-11-22T04:00:00Z"), approved: { _ in false })
        #expect(after.held.count == 1)
        let monday = gate.decide(environment: "p", revision: "r", changes: changes, now: date("2026-11-23T02:30:00Z"), approved: { _ in false })
        #expect(monday.held.count == 1)
    }

    @Test("approval: disruptive with a window: inside the window no approval is needed")
    func windowOrApproval() throws {
        let gate = PolicyGate(policy: Policy(approval: .disruptive, maintenanceWindow: try window))
        let changes = [change("a", disruptive: true)]
        #expect(gate.decide(environment: "p", revision: "r", changes: changes, now: date("2026-11-22T02:00:00Z"), approved: { _ in false }).held.isEmpty)
        #expect(gate.decide(environment: "p", revision: "r", changes: changes, now: date("2026-11-24T12:00:00Z"), approved: { _ in false }).waitingFor == "approval")
    }
}
