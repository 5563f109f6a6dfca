import Logging
import ShipshapeManifest
import ShipshapeReconcile
import Synchronization
import Testing

/// A provider that records what it was asked to do, for the executor's ordering and concurrency
/// rules. It stands in for no real program: it is the executor's own injection point.
final class RecordingProvider: Provider {
    let name = "recording"
    let kinds: Set<ResourceKind> = Set(ResourceKind.allCases)
    let events = Mutex<[String]>([])
    let running = Mutex(0)
    let maxRunning = Mutex(0)
    let failing: Set<String>

    init(failing: Set<String> = []) { self.failing = failing }

    func desiredResources(for environment: Environment) throws -> [DesiredResource] { [] }
    func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource] { [:] }

    func apply(_ change: Change, context: ApplyContext) async throws {
        let now = running.withLock { $0 += 1; return $0 }
        maxRunning.withLock { $0 = max($0, now) }
        events.withLock { $0.append("start \(change.resource.name)") }
        try await Task.sleep(for: .milliseconds(50))
        running.withLock { $0 -= 1 }
        events.withLock { $0.append("end \(change.resource.name)") }
        if failing.contains(change.resource.name) { throw ExecutorTestError() }
    }
}

struct ExecutorTestError: Error {}

/// An `ApplyJournal` that keeps its records in memory (the controller's writes a file), and can
/// refuse to record a change.
final class RecordingJournal: ApplyJournal {
    let records = Mutex<[String]>([])
    let refusing: Set<String>

    init(refusing: Set<String> = []) { self.refusing = refusing }

    func changeStarting(_ change: Change) async throws {
        if refusing.contains(change.resource.name) { throw ExecutorTestError() }
        records.withLock { $0.append("starting \(change.resource.name)") }
    }

    func changeEnded(_ change: Change, outcome: ChangeOutcome) async {
        let result: String
        switch outcome {
        case .applied: result = "applied"
        case .failed: result = "failed"
        }
        records.withLock { $0.append("ended \(change.resource.name) \(result)") }
    }
}

@Suite("Executor")
struct ExecutorTests {
    func change(_ name: String, _ action: Change.Action = .create, kind: ResourceKind = .service, after: [String] = [])
        -> Change
    {
        let id = ResourceID(kind, name)
        let desired = DesiredResource(
            id: id, attributes: [:], dependencies: after.map { ResourceID(kind, $0) }, payload: name)
        return Change(
            resource: id, action: action, reason: .newRevision, fields: [], disruptive: action == .delete,
            desired: action == .delete ? nil : desired, live: nil)
    }

    func plan(_ changes: [Change]) -> Plan {
        Plan(environment: "dev", revision: "r", changes: changes, unchanged: [], orphaned: [], detectedDrift: [])
    }

    @Test("independent changes run concurrently up to the limit")
    func concurrency() async {
        let provider = RecordingProvider()
        let report = await Executor(providers: [provider], concurrency: 3)
            .apply(plan((0..<8).map { change("s\($0)") }), logger: Logger(label: "test"))
        #expect(report.succeeded && report.applied.count == 8)
        #expect(provider.maxRunning.withLock { $0 } == 3)
    }

    @Test("a change starts after its dependencies; deletes after everything else")
    func ordering() async {
        let provider = RecordingProvider()
        let report = await Executor(providers: [provider], concurrency: 4).apply(
            plan([change("db"), change("api", after: ["db"]), change("old", .delete), change("web")]),
            logger: Logger(label: "test"))
        #expect(report.succeeded)
        let events = provider.events.withLock { $0 }
        #expect(events.firstIndex(of: "end db")! < events.firstIndex(of: "start api")!)
        #expect(events.firstIndex(of: "start old")! > events.firstIndex(of: "end api")!)
        #expect(events.firstIndex(of: "start old")! > events.firstIndex(of: "end web")!)
    }

    @Test("a failure stops new changes; dependants are skipped")
    func failure() async {
        let provider = RecordingProvider(failing: ["db"])
        let report = await Executor(providers: [provider], concurrency: 1).apply(
            plan([change("db"), change("api", after: ["db"]), change("web")]), logger: Logger(label: "test"))
        #expect(report.failure?.resource.name == "db")
        #expect(Set(report.skipped.map(\.name)) == ["api", "web"])
        #expect(!provider.events.withLock { $0 }.contains("start api"))
    }

    @Test("a controller that may no longer proceed stops before the next step")
    func lostLease() async {
        let provider = RecordingProvider()
        let allowed = Mutex(2)
        let report = await Executor(providers: [provider], concurrency: 1).apply(
            plan((0..<5).map { change("s\($0)") }), logger: Logger(label: "test"),
            mayProceed: { _ in allowed.withLock { $0 -= 1; return $0 >= 0 } })
        #expect(report.applied.count == 2)
        #expect(report.skipped.count == 3)
        #expect(!report.succeeded)
    }

    @Test("the journal hears of every change before its provider does and after it returns")
    func journal() async {
        let provider = RecordingProvider(failing: ["web"])
        let journal = RecordingJournal()
        let report = await Executor(providers: [provider], concurrency: 1).apply(
            plan([change("db"), change("web"), change("api")]), logger: Logger(label: "test"), journal: journal)
        #expect(report.failure?.resource.name == "web")
        #expect(
            journal.records.withLock { $0 } == ["starting db", "ended db applied", "starting web", "ended web failed"])
        #expect(provider.events.withLock { $0 } == ["start db", "end db", "start web", "end web"])
    }

    @Test("a change the journal cannot record is not started, and nothing after it")
    func journalRefuses() async {
        let provider = RecordingProvider()
        let report = await Executor(providers: [provider], concurrency: 1).apply(
            plan([change("db"), change("web"), change("api")]), logger: Logger(label: "test"),
            journal: RecordingJournal(refusing: ["web"]))
        #expect(report.applied.map(\.name) == ["db"])
        #expect(report.failure?.resource.name == "web")
        let message = report.failure.map { "\($0.error)" } ?? ""
        #expect(message.contains("journal"))
        #expect(report.skipped.map(\.name) == ["api"])
        #expect(!provider.events.withLock { $0 }.contains("start web"))
    }
}
