public import Logging
public import ShipshapeManifest

/// Observe → plan → apply for one environment, across every provider.
public struct Reconciler: Sendable {
    public let providers: [any Provider]
    private let executor: Executor

    public init(providers: [any Provider]) {
        self.providers = providers
        executor = Executor(providers: providers)
    }

    /// Every resource the environment's manifests want, from every provider.
    public func desiredResources(for environment: Environment) throws -> [DesiredResource] {
        var resources: [DesiredResource] = []
        for provider in providers {
            resources += try provider.desiredResources(for: environment)
        }
        return resources
    }

    /// The live state of every managed resource, observed by all providers concurrently.
    public func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource] {
        try await withThrowingTaskGroup(of: [ResourceID: LiveResource].self) { group in
            for provider in providers {
                group.addTask { try await provider.observe(scope) }
            }
            var live: [ResourceID: LiveResource] = [:]
            for try await part in group {
                live.merge(part) { first, _ in first }
            }
            return live
        }
    }

    /// Observes the live state and plans the changes that converge it to `environment`.
    public func plan(_ environment: Environment, inputs: Planner.Inputs) async throws -> Plan {
        let desired = try desiredResources(for: environment)
        let live = try await observe(Scope(environment: environment.name, region: environment.spec.region))
        return Planner.plan(desired: desired, live: live, inputs: inputs)
    }

    /// Carries out `plan`, recording each change in `journal` (see `Executor.apply`).
    public func apply(
        _ plan: Plan,
        logger: Logger,
        journal: (any ApplyJournal)? = nil,
        mayProceed: @Sendable (Change) async -> Bool = { _ in true },
        observer: @Sendable (Change, ChangeOutcome) -> Void = { _, _ in }
    ) async -> ApplyReport {
        await executor.apply(plan, logger: logger, journal: journal, mayProceed: mayProceed, observer: observer)
    }
}
