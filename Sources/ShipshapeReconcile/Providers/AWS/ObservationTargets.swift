import Synchronization

/// What each provider must look for when it observes an environment, recorded when it computes the
/// desired resources.
///
/// `Provider.observe` receives only the environment's name and region, but adopted resources carry
/// no ownership tags: the provider remembers, per environment, how to find each desired resource
/// (the reconciler always asks for desired resources before it observes).
final class ObservationTargets<Target: Sendable>: Sendable {
    private let byEnvironment = Mutex<[String: [ResourceID: Target]]>([:])

    init() {}

    func record(_ targets: [ResourceID: Target], environment: String) {
        byEnvironment.withLock { $0[environment] = targets }
    }

    func targets(environment: String) -> [ResourceID: Target] {
        byEnvironment.withLock { $0[environment] ?? [:] }
    }
}
