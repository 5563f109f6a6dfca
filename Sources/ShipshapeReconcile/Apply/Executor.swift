public import Logging

/// Carries out a plan's changes through the provider that owns each kind.
///
/// Independent changes run concurrently, at most `concurrency` at a time; a change starts only
/// after the changes it depends on (its desired resource's `dependencies` that are in the plan)
/// have succeeded, and deletes start only after every create, update and replace. The first failure
/// stops new changes from starting (those running finish): later changes may depend on it, and the
/// next cycle re-plans from the live state anyway (level-triggered), so nothing is lost by stopping.
public struct Executor: Sendable {
    private let providers: [ResourceKind: any Provider]
    /// How many changes may run at once.
    public let concurrency: Int

    public init(providers: [any Provider], concurrency: Int = 4) {
        var byKind: [ResourceKind: any Provider] = [:]
        for provider in providers {
            for kind in provider.kinds { byKind[kind] = provider }
        }
        self.providers = byKind
        self.concurrency = max(1, concurrency)
    }

    /// Applies `plan`; `observer` hears about every change as it finishes. `mayProceed` is asked
    /// before each change starts (the leader lease: a controller that lost it stops before the next
    /// step); when it says no, that change and those not yet started are skipped. `journal` records
    /// each change before it starts and when it ends (see `ApplyJournal`); a change it cannot record
    /// fails without being started.
    public func apply(
        _ plan: Plan,
        logger: Logger,
        journal: (any ApplyJournal)? = nil,
        mayProceed: @Sendable (Change) async -> Bool = { _ in true },
        observer: @Sendable (Change, ChangeOutcome) -> Void = { _, _ in }
    ) async -> ApplyReport {
        var report = ApplyReport()
        let context = ApplyContext(environment: plan.environment, revision: plan.revision, logger: logger)
        let inPlan = Set(plan.changes.map(\.resource))
        var pending = plan.changes
        var succeeded = Set<ResourceID>()
        var unfinishedNonDeletes = plan.changes.filter { $0.action != .delete }.count
        var stopped = false

        func isReady(_ change: Change) -> Bool {
            if change.action == .delete { return unfinishedNonDeletes == 0 }
            return (change.desired?.dependencies ?? []).allSatisfy { !inPlan.contains($0) || succeeded.contains($0) }
        }

        await withTaskGroup(of: (Change, (any Error)?).self) { group in
            var running = 0
            while true {
                // Start what is ready, in plan order, up to the limit.
                var index = 0
                while !stopped && running < concurrency && index < pending.count {
                    let change = pending[index]
                    guard isReady(change) else {
                        index += 1
                        continue
                    }
                    pending.remove(at: index)
                    let allowed = Task.isCancelled ? false : await mayProceed(change)
                    if !allowed {
                        logger.warning(
                            "Stopping before the next change: no longer allowed to proceed",
                            metadata: ["resource": "\(change.resource)"])
                        report.skipped.append(change.resource)
                        stopped = true
                        break
                    }
                    guard let provider = providers[change.resource.kind] else {
                        let error = ExecutorError.noProvider(change.resource)
                        report.failure = ApplyReport.Failure(resource: change.resource, action: change.action, error: error)
                        observer(change, .failed(error))
                        stopped = true
                        break
                    }
                    if let journal {
                        do {
                            try await journal.changeStarting(change)
                        } catch {
                            let failure = ExecutorError.journal(change.resource, error)
                            logger.error(
                                "Change not started",
                                metadata: ["resource": "\(change.resource)", "error": "\(failure)"])
                            report.failure = ApplyReport.Failure(
                                resource: change.resource, action: change.action, error: failure)
                            observer(change, .failed(failure))
                            stopped = true
                            break
                        }
                    }
                    var changeContext = context
                    changeContext.logger[metadataKey: "resource"] = "\(change.resource)"
                    let changeLogger = changeContext.logger
                    changeLogger.info(
                        "Applying change",
                        metadata: ["action": "\(change.action.rawValue)", "reason": "\(change.reason.rawValue)"])
                    running += 1
                    group.addTask {
                        do {
                            try await provider.apply(change, context: changeContext)
                            return (change, nil)
                        } catch {
                            changeLogger.error("Change failed", metadata: ["error": "\(error)"])
                            return (change, error)
                        }
                    }
                }
                guard running > 0, let (change, error) = await group.next() else { break }
                running -= 1
                if change.action != .delete { unfinishedNonDeletes -= 1 }
                await journal?.changeEnded(change, outcome: error.map(ChangeOutcome.failed) ?? .applied)
                if let error {
                    if report.failure == nil {
                        report.failure = ApplyReport.Failure(resource: change.resource, action: change.action, error: error)
                    }
                    observer(change, .failed(error))
                    stopped = true
                } else {
                    succeeded.insert(change.resource)
                    report.applied.append(change.resource)
                    observer(change, .applied)
                }
            }
        }
        // Whatever never started (stopped, or waiting on a change that failed) is skipped.
        report.skipped.append(contentsOf: pending.map(\.resource))
        return report
    }
}

/// How one change ended.
public enum ChangeOutcome: Sendable {
    case applied
    case failed(any Error)
}

/// What an apply did.
public struct ApplyReport: Sendable {
    /// The change that failed first, and why; nil when every change was applied.
    public struct Failure: Sendable {
        public var resource: ResourceID
        public var action: Change.Action
        public var error: any Error
    }

    public var applied: [ResourceID] = []
    public var skipped: [ResourceID] = []
    public var failure: Failure?

    public init() {}

    public var succeeded: Bool { failure == nil && skipped.isEmpty }
}

/// A plan named a kind no configured provider manages, or a change could not be journalled.
public struct ExecutorError: Error, CustomStringConvertible {
    public var description: String

    static func noProvider(_ resource: ResourceID) -> ExecutorError {
        ExecutorError(
            description:
                "no provider manages \(resource.kind.rawValue) resources (needed for \(resource)); check that the controller is configured for this kind"
        )
    }

    static func journal(_ resource: ResourceID, _ error: any Error) -> ExecutorError {
        ExecutorError(
            description:
                "\(resource) was not started: the apply journal cannot record it (\(error)); check that the state directory is writable"
        )
    }
}
