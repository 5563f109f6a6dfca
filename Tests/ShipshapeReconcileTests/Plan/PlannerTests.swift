import Foundation
import ShipshapeReconcile
import Testing

@Suite("Planner")
struct PlannerTests {
    func desired(
        _ kind: ResourceKind, _ name: String, _ attributes: Attributes, effects: [String: FieldEffect] = [:],
        dependsOn: [ResourceID] = []
    ) -> DesiredResource {
        DesiredResource(
            id: ResourceID(kind, name), attributes: attributes, fieldEffects: effects, dependencies: dependsOn,
            payload: name)
    }

    func live(_ kind: ResourceKind, _ name: String, _ attributes: Attributes, owned: Bool = true) -> LiveResource {
        LiveResource(id: ResourceID(kind, name), attributes: attributes, owned: owned, payload: name)
    }

    @Test("a missing resource is created, a matching one is left alone")
    func createAndNoop() {
        let plan = Planner.plan(
            desired: [
                desired(.service, "api", ["image": .string("api:1")]),
                desired(.service, "db", ["image": .string("db:1")]),
            ],
            live: [ResourceID(.service, "db"): live(.service, "db", ["image": .string("db:1")])],
            inputs: .init(environment: "dev", revision: "r1")
        )
        #expect(plan.changes.map(\.resource) == [ResourceID(.service, "api")])
        #expect(plan.changes.first?.action == .create)
        #expect(plan.changes.first?.reason == .newRevision)
        #expect(plan.unchanged == [ResourceID(.service, "db")])
        #expect(plan.summary.create == 1 && plan.summary.total == 1)
    }

    @Test("field effects decide update, replace and disruptive")
    func actions() {
        let plan = Planner.plan(
            desired: [
                desired(.service, "api", ["image": .string("api:2"), "replicas": .int(2)], effects: ["image": .replace]),
                desired(.instance, "app-1", ["type": .string("t3.large")], effects: ["type": .disruptive]),
                desired(.securityGroup, "web", ["description": .string("new")]),
            ],
            live: [
                ResourceID(.service, "api"): live(.service, "api", ["image": .string("api:1"), "replicas": .int(2)]),
                ResourceID(.instance, "app-1"): live(.instance, "app-1", ["type": .string("t3.small")]),
                ResourceID(.securityGroup, "web"): live(.securityGroup, "web", ["description": .string("old")]),
            ],
            inputs: .init(environment: "prod", revision: "r2")
        )
        let byName = Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.resource.name, $0) })
        #expect(byName["api"]?.action == .replace)
        #expect(byName["api"]?.fields == [FieldChange(path: "image", before: .string("api:1"), after: .string("api:2"), effect: .replace)])
        #expect(byName["app-1"]?.action == .update)
        #expect(byName["app-1"]?.disruptive == true)
        #expect(byName["web"]?.action == .update)
        #expect(byName["web"]?.disruptive == false)
        // Security groups before instances before services.
        #expect(plan.changes.map(\.resource.kind) == [.securityGroup, .instance, .service])
    }

    @Test("a resource whose change was cut short is applied again even when it looks in sync")
    func interrupted() {
        let desiredState = [
            desired(.service, "api", ["image": .string("api:2")]), desired(.service, "db", ["image": .string("db:1")]),
        ]
        let liveState = [
            ResourceID(.service, "api"): live(.service, "api", ["image": .string("api:2")]),
            ResourceID(.service, "db"): live(.service, "db", ["image": .string("db:1")]),
        ]
        let plan = Planner.plan(
            desired: desiredState, live: liveState,
            inputs: .init(environment: "dev", revision: "r", interrupted: [ResourceID(.service, "api")]))
        #expect(plan.changes.map(\.resource) == [ResourceID(.service, "api")])
        #expect(plan.changes.first?.action == .update)
        #expect(plan.changes.first?.reason == .interrupted)
        #expect(plan.changes.first?.fields.isEmpty == true)
        #expect(plan.changes.first?.disruptive == false)
        #expect(plan.unchanged == [ResourceID(.service, "db")])

        let later = Planner.plan(desired: desiredState, live: liveState, inputs: .init(environment: "dev", revision: "r"))
        #expect(later.changes.isEmpty)
    }

    @Test("owned resources that left the manifests are pruned only when the policy says so; unowned never")
    func prune() {
        let liveState: [ResourceID: LiveResource] = [
            ResourceID(.service, "old"): live(.service, "old", ["image": .string("old:1")]),
            ResourceID(.service, "foreign"): live(.service, "foreign", ["image": .string("x:1")], owned: false),
        ]
        let kept = Planner.plan(desired: [], live: liveState, inputs: .init(environment: "dev", revision: "r"))
        #expect(kept.changes.isEmpty)
        #expect(kept.orphaned == [ResourceID(.service, "old")])

        let pruned = Planner.plan(desired: [], live: liveState, inputs: .init(environment: "dev", revision: "r", prune: true))
        #expect(pruned.changes.map(\.resource) == [ResourceID(.service, "old")])
        #expect(pruned.changes.first?.action == .delete)
        #expect(pruned.changes.first?.reason == .prune)
    }

    @Test("a change with the same desired state as last applied is drift; detect-only keeps it out of the plan")
    func drift() {
        let wanted = desired(.service, "api", ["image": .string("api:1")])
        let applied = [wanted.id: Planner.fingerprint(wanted.attributes)]
        let liveState = [wanted.id: live(.service, "api", ["image": .string("api:0-by-hand")])]

        let heal = Planner.plan(
            desired: [wanted], live: liveState,
            inputs: .init(environment: "dev", revision: "r", appliedFingerprints: applied))
        #expect(heal.changes.first?.reason == .drift)

        let detect = Planner.plan(
            desired: [wanted], live: liveState,
            inputs: .init(environment: "dev", revision: "r", selfHeal: false, appliedFingerprints: applied))
        #expect(detect.changes.isEmpty)
        #expect(detect.detectedDrift.map(\.resource) == [wanted.id])

        let newRevision = Planner.plan(
            desired: [desired(.service, "api", ["image": .string("api:2")])], live: liveState,
            inputs: .init(environment: "dev", revision: "r", selfHeal: false, appliedFingerprints: applied))
        #expect(newRevision.changes.first?.reason == .newRevision)
    }

    @Test("dependencies order changes within a kind")
    func dependencyOrder() {
        let plan = Planner.plan(
            desired: [
                desired(.service, "api", ["image": .string("a")], dependsOn: [ResourceID(.service, "zdb")]),
                desired(.service, "zdb", ["image": .string("d")]),
            ],
            live: [:],
            inputs: .init(environment: "dev", revision: "r")
        )
        #expect(plan.changes.map(\.resource.name) == ["zdb", "api"])
    }

    @Test("fingerprints are stable and ignore sensitive values")
    func fingerprints() {
        let first = Planner.fingerprint(["a": .string("1"), "secret": .sensitive(fingerprint: "x")])
        let second = Planner.fingerprint(["secret": .sensitive(fingerprint: "y"), "a": .string("1")])
        #expect(first == second)
        #expect(first.count == 64)
        #expect(first != Planner.fingerprint(["a": .string("2"), "secret": .sensitive(fingerprint: "x")]))
    }

    @Test("plans of 10,000 resources are computed without I/O")
    func large() {
        var desiredState: [DesiredResource] = []
        var liveState: [ResourceID: LiveResource] = [:]
        for index in 0..<10_000 {
            let resource = desired(.securityGroup, "sg-\(index)", ["rules": .int(index)])
            desiredState.append(resource)
            liveState[resource.id] = live(.securityGroup, "sg-\(index)", ["rules": .int(index % 100 == 0 ? -1 : index)])
        }
        let plan = Planner.plan(desired: desiredState, live: liveState, inputs: .init(environment: "big", revision: "r"))
        #expect(plan.changes.count == 100)
        #expect(plan.unchanged.count == 9_900)
    }
}

extension PlannerTests {
    @Test("detect-only for one kind reports its drift and heals the others")
    func detectOnlyPerKind() {
        let group = desired(.securityGroup, "web", ["rules": .int(2)])
        let service = desired(.service, "api", ["image": .string("api:1")])
        let applied = [
            group.id: Planner.fingerprint(group.attributes), service.id: Planner.fingerprint(service.attributes),
        ]
        let plan = Planner.plan(
            desired: [group, service],
            live: [
                group.id: live(.securityGroup, "web", ["rules": .int(3)]),
                service.id: live(.service, "api", ["image": .string("api:0")]),
            ],
            inputs: .init(environment: "dev", revision: "r", detectOnly: [.securityGroup], appliedFingerprints: applied))
        #expect(plan.changes.map(\.resource) == [service.id])
        #expect(plan.detectedDrift.map(\.resource) == [group.id])
    }
}
