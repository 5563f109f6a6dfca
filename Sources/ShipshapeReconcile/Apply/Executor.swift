public import Logging

/// Carries out a plan's changes in order through the provider that owns each kind.
///
/// It stops at the first failed change: later changes may depend on it, and the next cycle re-plans
/// from the live state anyway (level-triggered), so nothing is lost by stopping.
public struct Executor: Sendable {
    private let providers: [ResourceKind: any Provider]

    public init(providers: [any Provider]) {
        var byKind: [ResourceKind: any Provider] = [:]
        for provider in providers {
            for kind in provider.kinds { byKind[kind] = provider }
        }
        self.providers = byKind
    }

    /// Applies `plan`; `observer` hears about every change as it finishes. `mayProceed` is asked
    /// before each change (the leader lease: a controller that lost it stops before the next step);
    /// when it says no, that change and the rest are skipped.
    public func apply(
        _ plan: Plan,
        logger: Logger,
        mayProceed: @Sendable (Change) async -> Bool = { _ in true },
        observer: @Sendable (Change, ChangeOutcome) -> Void = { _, _ in }
    ) async -> ApplyReport {
        var report = ApplyReport()
        let context = ApplyContext(environment: plan.environment, revision: plan.revision, logger: logger)
        for change in plan.changes {
            if Task.isCancelled {
                report.skipped.append(change.resource)
                continue
            }
            if report.failure != nil || !report.skipped.isEmpty {
                report.skipped.append(change.resource)
                continue
            }
            guard await mayProceed(change) else {
                logger.warning(
                    "Stopping before the next change: no longer allowed to proceed (leader lease lost)",
                    metadata: ["resource": "\(change.resource)"])
                report.skipped.append(change.resource)
                continue
            }
            guard let provider = providers[change.resource.kind] else {
                let error = ExecutorError.noProvider(change.resource)
                report.failure = ApplyReport.Failure(resource: change.resource, action: change.action, error: error)
                observer(change, .failed(error))
                continue
            }
            var changeLogger = logger
            changeLogger[metadataKey: "resource"] = "\(change.resource)"
            changeLogger.info(
                "Applying change",
                metadata: ["action": "\(change.action.rawValue)", "reason": "\(change.reason.rawValue)"]
            )
            var changeContext = context
            changeContext.logger = changeLogger
            do {
                try await provider.apply(change, context: changeContext)
                report.applied.append(change.resource)
                observer(change, .applied)
            } catch {
                changeLogger.error("Change failed", metadata: ["error": "\(error)"])
                report.failure = ApplyReport.Failure(resource: change.resource, action: change.action, error: error)
                observer(change, .failed(error))
            }
        }
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
    /// The change that failed, and why; nil when every change was applied.
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

/// A plan named a kind no configured provider manages.
public struct ExecutorError: Error, CustomStringConvertible {
    public var description: String

    static func noProvider(_ resource: ResourceID) -> ExecutorError {
        ExecutorError(
            description:
                "no provider manages \(resource.kind.rawValue) resources (needed for \(resource)); check that the controller is configured for this kind"
        )
    }
}
