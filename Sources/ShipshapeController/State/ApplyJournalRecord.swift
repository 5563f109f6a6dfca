public import Foundation
import Logging
public import ShipshapeReconcile

/// The apply in progress for one environment, as `STATE/environments/ENV.journal.json` holds it.
///
/// `ReconcileCycle` writes it before an apply's first change starts, the executor updates it before
/// each change starts and when it ends (`EnvironmentJournal`), and the cycle removes it when the apply
/// is over. A record found at start-up therefore means the previous controller stopped in the middle
/// of an apply (killed, the host lost power): `interruptedResources` names what was cut short.
public struct ApplyJournalRecord: Sendable, Codable, Hashable {
    /// One change of the plan.
    public struct Step: Sendable, Codable, Hashable {
        public enum State: String, Sendable, Codable {
            /// Not started yet.
            case pending
            /// The provider was called and has not returned.
            case started
            case applied
            case failed
        }

        /// `KIND/NAME`.
        public var resource: String
        public var action: Change.Action
        public var reason: Change.Reason
        public var state: State
        public var startedAt: Date?
        public var endedAt: Date?

        public init(resource: String, action: Change.Action, reason: Change.Reason, state: State = .pending) {
            self.resource = resource
            self.action = action
            self.reason = reason
            self.state = state
        }
    }

    /// The plan's id (`PolicyGate.planID`: the same changes at the same revision have the same id).
    public var planID: String
    /// The cycle that ran the apply (`reconcile.id` in the log).
    public var reconcileID: String
    /// The full revision being applied.
    public var revision: String
    public var startedAt: Date
    /// The controller's process id, for people reading the file.
    public var pid: Int32
    public var steps: [Step]
    /// When a restarted controller reported the interruption (it is reported once).
    public var reportedAt: Date?

    public init(plan: Plan, planID: String, reconcileID: String, startedAt: Date, pid: Int32) {
        self.planID = planID
        self.reconcileID = reconcileID
        revision = plan.revision
        self.startedAt = startedAt
        self.pid = pid
        steps = plan.changes.map { Step(resource: $0.resource.description, action: $0.action, reason: $0.reason) }
    }

    /// The resources whose change was cut short: started and never ended, and those whose pending
    /// change was itself the resumption of an earlier interrupted change (so a second crash does not
    /// lose it).
    public var interruptedResources: [ResourceID] {
        steps.filter { $0.state == .started || ($0.state == .pending && $0.reason == .interrupted) }
            .compactMap { ResourceID(label: $0.resource) }
    }

    /// Marks `resource`'s step.
    mutating func mark(_ resource: ResourceID, _ state: Step.State, at time: Date) {
        for index in steps.indices where steps[index].resource == resource.description {
            steps[index].state = state
            if state == .started { steps[index].startedAt = time } else { steps[index].endedAt = time }
        }
    }
}

/// The executor's `ApplyJournal` for one environment: each record goes to the environment's journal
/// file through the state store (written to a temporary file, synced, renamed) before the executor
/// goes on.
struct EnvironmentJournal: ApplyJournal {
    let store: StateStore
    let environment: String
    let now: @Sendable () -> Date
    let logger: Logger

    func changeStarting(_ change: Change) async throws {
        let time = now()
        try await store.updateJournal(environment) { $0.mark(change.resource, .started, at: time) }
    }

    func changeEnded(_ change: Change, outcome: ChangeOutcome) async {
        let time = now()
        let state: ApplyJournalRecord.Step.State
        switch outcome {
        case .applied: state = .applied
        case .failed: state = .failed
        }
        do {
            try await store.updateJournal(environment) { $0.mark(change.resource, state, at: time) }
        } catch {
            // The record then shows the change as still in flight: after a crash it is applied again,
            // which is safe (providers are idempotent).
            logger.error(
                "Cannot record the end of a change in the apply journal",
                metadata: ["resource": "\(change.resource)", "error": "\(error)"])
        }
    }
}
