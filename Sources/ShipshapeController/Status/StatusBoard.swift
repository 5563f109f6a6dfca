public import Foundation

/// What `/api/v1/status`, `/readyz` and `shipshape status` report, per environment.
public struct EnvironmentStatus: Sendable, Codable, Hashable {
    public enum Result: String, Sendable, Codable {
        case pending
        case converged
        case failed
        case invalid
        case planned
        /// What could run, ran; some changes wait (approval, maintenance window, failed revision).
        case held
        case suspended
    }

    public var environment: String
    public var result: Result = .pending
    /// The revision last applied completely.
    public var appliedRevision: String?
    /// The newest revision seen in the config repository.
    public var latestRevision: String?
    /// A one-line reason for the last failure or invalid manifest; never contains secrets.
    public var message: String?
    /// Manifest problems of the latest revision, as `file:line:column: message`.
    public var diagnostics: [String] = []
    public var lastCycleAt: Date?
    public var lastCycleDurationSeconds: Double?
    /// Changes in the last plan (`create/update/replace/delete` counts), if one was made.
    public var lastPlan: String?
    /// Resources found drifted in the last cycle.
    public var drifted: Int = 0
    /// Changes held for approval or a maintenance window.
    public var pendingApproval: PendingApproval?
    /// Reconciliation is suspended.
    public var suspended: Bool = false
    /// A revision pinned by a rollback: the branch tip is not followed until unpinned.
    public var pinnedRevision: String?
    /// The apply a crash cut short, found in the apply journal when this controller started.
    public var interruptedApply: InterruptedApply?

    public init(environment: String) { self.environment = environment }
}

/// An apply the previous controller did not finish (it was killed or the host went down), as the
/// apply journal recorded it.
public struct InterruptedApply: Sendable, Codable, Hashable {
    /// The full revision that was being applied.
    public var revision: String
    public var planID: String
    public var startedAt: Date
    /// When this controller found the journal.
    public var detectedAt: Date
    /// `KIND/NAME` of the changes in flight; the next cycle applies them again.
    public var inFlight: [String]

    public init(revision: String, planID: String, startedAt: Date, detectedAt: Date, inFlight: [String]) {
        self.revision = revision
        self.planID = planID
        self.startedAt = startedAt
        self.detectedAt = detectedAt
        self.inFlight = inFlight
    }
}

/// Collects the status of every environment; read by the HTTP server.
public actor StatusBoard {
    private var environments: [String: EnvironmentStatus]
    private var completedFirstCycle: Set<String> = []
    public private(set) var gitReachable = true
    public private(set) var lastFetchError: String?

    public init(environments: [String]) {
        var all: [String: EnvironmentStatus] = [:]
        for env in environments { all[env] = EnvironmentStatus(environment: env) }
        self.environments = all
    }

    public func update(_ environment: String, _ change: (inout EnvironmentStatus) -> Void) {
        var status = environments[environment] ?? EnvironmentStatus(environment: environment)
        change(&status)
        environments[environment] = status
        if status.result != .pending { completedFirstCycle.insert(environment) }
    }

    public func recordFetch(error: String?) {
        gitReachable = error == nil
        lastFetchError = error
    }

    /// Ready once the first reconcile has completed (whatever its result) for every environment.
    public var isReady: Bool { completedFirstCycle.isSuperset(of: environments.keys) }

    public func snapshot() -> StatusDocument {
        StatusDocument(
            ready: isReady,
            git: .init(reachable: gitReachable, lastError: lastFetchError),
            environments: environments.values.sorted { $0.environment < $1.environment }
        )
    }
}

/// The body of `/api/v1/status`.
public struct StatusDocument: Sendable, Codable, Hashable {
    public struct Git: Sendable, Codable, Hashable {
        public var reachable: Bool
        public var lastError: String?
    }

    public var ready: Bool
    public var git: Git
    public var environments: [EnvironmentStatus]
}
