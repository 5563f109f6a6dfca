import Crypto
public import Foundation
public import ShipshapeManifest
public import ShipshapeReconcile

/// Decides which changes of a plan may run now under the environment's policy.
///
/// Disruptive changes (an instance stopped for a resize, a database reboot, anything that deletes)
/// run only when the environment allows it: inside the maintenance window, or once a human approved
/// the plan. With `approval: always`, every change waits for approval. Pure: the time is an input.
public struct PolicyGate: Sendable {
    public let policy: Policy

    public init(policy: Policy) {
        self.policy = policy
    }

    /// The changes that may run now and those that must wait.
    public struct Decision: Sendable {
        public var allowed: [Change]
        public var held: [Change]
        /// `approval` or `maintenance-window`, when something is held.
        public var waitingFor: String?
        /// The approved plan id that let gated changes run (none when the window let them run).
        public var approvedPlan: String?
    }

    /// Splits `changes`; `approved` says whether a plan id was approved.
    public func decide(
        environment: String, changes: [Change], now: Date, approved: (String) -> Bool
    ) -> Decision {
        let gated = changes.filter { policy.approval == .always || $0.disruptive }
        guard !gated.isEmpty else { return Decision(allowed: changes, held: [], waitingFor: nil) }
        let id = Self.planID(environment: environment, changes: gated)
        let windowOpen = policy.maintenanceWindow.map { Self.isOpen($0, at: now) } ?? false
        let free: Bool
        switch policy.approval {
        case .never: free = policy.maintenanceWindow == nil || windowOpen
        case .disruptive: free = windowOpen
        case .always: free = false
        }
        if free { return Decision(allowed: changes, held: [], waitingFor: nil) }
        if approved(id) { return Decision(allowed: changes, held: [], waitingFor: nil, approvedPlan: id) }
        let gatedIDs = Set(gated.map(\.resource))
        return Decision(
            allowed: changes.filter { !gatedIDs.contains($0.resource) },
            held: gated,
            waitingFor: policy.approval == .never ? "maintenance-window" : "approval"
        )
    }

    /// A stable id for a set of held changes: `plan-` and 12 hex digits of a digest of the
    /// environment and each change's resource, action and field values before and after. The same
    /// changes give the same id at any revision (so a later commit can approve them with an
    /// `Approve-Plan:` trailer); any difference in what would change gives a new one, which needs
    /// a new approval.
    public static func planID(environment: String, changes: [Change]) -> String {
        var hasher = SHA256()
        func add(_ text: String) {
            hasher.update(data: Array(text.utf8))
            hasher.update(data: [0])
        }
        add(environment)
        for change in changes.sorted(by: { $0.resource < $1.resource }) {
            add(change.resource.description)
            add(change.action.rawValue)
            for field in change.fields {
                add(field.path)
                add(field.before?.description ?? "")
                add(field.after?.description ?? "")
            }
        }
        return "plan-" + hexString(hasher.finalize().prefix(6))
    }

    /// Whether the window (opened at each match of its cron schedule, UTC, open for its duration)
    /// is open at `date`.
    public static func isOpen(_ window: MaintenanceSchedule, at date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let minutes = Int(window.duration.components.seconds / 60)
        let truncated = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let start = calendar.date(from: truncated) ?? date
        // Look back over the window's length for a minute at which it opened.
        for back in 0...max(minutes - 1, 0) {
            guard let minute = calendar.date(byAdding: .minute, value: -back, to: start) else { continue }
            let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: minute)
            if window.schedule.matches(
                minute: parts.minute!, hour: parts.hour!, day: parts.day!, month: parts.month!,
                weekday: parts.weekday! - 1)
            {
                return true
            }
        }
        return false
    }
}
