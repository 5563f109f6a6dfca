import Foundation
import Logging
import ShipshapeAWS
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

@Suite("RDS databases against moto", .timeLimit(.minutes(5)))
struct DatabaseProviderTests {
    static func create(_ fixture: AWSProviderFixture, _ identifier: String) async throws {
        try await fixture.moto.python(
            """
            import boto3
            boto3.client("rds").create_db_instance(DBInstanceIdentifier="\(identifier)", DBInstanceClass="db.t3.micro",
                Engine="postgres", AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="not-a-real-password")
            """)
    }

    static func describe(_ fixture: AWSProviderFixture, _ identifier: String) async throws -> (instanceClass: String, storage: Int) {
        let json = try await fixture.pythonJSON(
            """
            import boto3, json
            d = boto3.client("rds").describe_db_instances(DBInstanceIdentifier="\(identifier)")["DBInstances"][0]
            print(json.dumps({"class": d["DBInstanceClass"], "storage": d["AllocatedStorage"]}))
            """)
        let object = json as? [String: Any] ?? [:]
        return (object["class"] as? String ?? "", object["storage"] as? Int ?? 0)
    }

    @Test("class and storage change with ApplyImmediately as the manifest says; the class is disruptive; then a no-op")
    func modify() async throws {
        try await AWSProviderFixture.with { fixture in
            try await Self.create(fixture, "community-db")
            try await Self.create(fixture, "made-by-terraform")
            let environment = fixture.environment(
                EnvironmentSpec(databases: [
                    "community-db": Database(name: "community-db", instanceClass: "db.t3.small", engine: .postgres, storageGiB: 50, applyImmediately: true),
                    "reports": Database(
                        name: "reports", instanceClass: "db.t3.micro", engine: .postgres, storageGiB: 30, applyImmediately: false,
                        adopt: .id("made-by-terraform")),
                ]))
            let plan = try await fixture.plan(environment)
            let community = try #require(plan.changes.first { $0.resource.name == "community-db" })
            #expect(community.action == .update && community.disruptive)
            let reports = try #require(plan.changes.first { $0.resource.name == "reports" })
            #expect(!reports.disruptive)
            #expect(reports.fields.map(\.path) == ["storage"])
            #expect(reports.live?.attributes["pending"] == .map([:]))

            fixture.proxy.clearRecording()
            let report = await fixture.reconciler.apply(plan, logger: .init(label: "test"))
            #expect(report.succeeded, "\(report.failureText ?? "")")
            let modifies = fixture.proxy.calls.filter { $0.action == "ModifyDBInstance" }
            #expect(modifies.count == 2)
            #expect(modifies.contains { $0.body.contains("DBInstanceIdentifier=community-db") && $0.body.contains("ApplyImmediately=true") && $0.body.contains("DBInstanceClass=db.t3.small") })
            #expect(modifies.contains { $0.body.contains("DBInstanceIdentifier=made-by-terraform") && $0.body.contains("ApplyImmediately=false") && !$0.body.contains("DBInstanceClass") })
            let after = try await Self.describe(fixture, "community-db")
            #expect(after.instanceClass == "db.t3.small" && after.storage == 50)

            fixture.proxy.clearRecording()
            let second = try await fixture.cycle(environment, applied: plan.fingerprints)
            #expect(second.plan.changes.isEmpty, "\(PlanRenderer.text(second.plan))")
            #expect(fixture.mutatingCalls.isEmpty)
            // One DescribeDBInstances for every database of the region.
            #expect(fixture.proxy.actions.filter { $0.hasSuffix("DBInstances") } == ["DescribeDBInstances"])
        }
    }

    @Test("drift is reported only when the policy says detect-only, and corrected otherwise")
    func drift() async throws {
        try await AWSProviderFixture.with { fixture in
            try await Self.create(fixture, "main")
            let environment = fixture.environment(
                EnvironmentSpec(databases: ["main": Database(name: "main", instanceClass: "db.t3.micro", engine: .postgres, applyImmediately: true)]))
            let first = try await fixture.cycle(environment)
            #expect(first.plan.changes.isEmpty, "\(PlanRenderer.text(first.plan))")
            try await fixture.moto.aws([
                "rds", "modify-db-instance", "--db-instance-identifier", "main", "--db-instance-class", "db.m5.large", "--apply-immediately",
            ])
            let reported = try await fixture.plan(environment, applied: first.plan.fingerprints, selfHeal: false)
            #expect(reported.changes.isEmpty)
            #expect(reported.detectedDrift.first?.fields.first?.before == .string("db.m5.large"))
            let healed = try await fixture.cycle(environment, applied: first.plan.fingerprints)
            #expect(healed.report.succeeded, "\(healed.report.failureText ?? "")")
            #expect(try await Self.describe(fixture, "main").instanceClass == "db.t3.micro")
        }
    }

    @Test("a database that does not exist fails with an error naming it")
    func missing() async throws {
        try await AWSProviderFixture.with { fixture in
            let environment = fixture.environment(
                EnvironmentSpec(databases: ["nope": Database(name: "nope", instanceClass: "db.t3.micro", engine: .postgres)]))
            let result = try await fixture.cycle(environment)
            let failure = try #require(result.report.failure)
            #expect("\(failure.error)".contains("DB instance nope does not exist"))
            #expect(fixture.mutatingCalls.isEmpty)
        }
    }
}
