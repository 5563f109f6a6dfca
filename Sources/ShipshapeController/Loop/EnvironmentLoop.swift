public import Logging
public import ServiceLifecycle

/// The reconcile loop of one environment. Each environment has its own, so one that fails or runs
/// a long rollout does not hold up the others; cycles of one environment never overlap, and wake-ups
/// during a cycle coalesce into one more cycle.
///
/// Every cycle re-reads the live state (level-triggered): besides new revisions, the loop wakes every
/// `resyncInterval` to find and correct drift.
public struct EnvironmentLoop: Service {
    public let environment: String
    public let source: GitManifestSource
    public let cycle: ReconcileCycle
    public let trigger: Trigger
    public let resyncInterval: Duration
    public let logger: Logger
    /// Told of every pass, so a hung loop stops the systemd watchdog pings.
    public let watchdog: SystemdWatchdog<ContinuousClock>?

    public init(
        environment: String,
        source: GitManifestSource,
        cycle: ReconcileCycle,
        trigger: Trigger,
        resyncInterval: Duration,
        logger: Logger,
        watchdog: SystemdWatchdog<ContinuousClock>? = nil
    ) {
        self.watchdog = watchdog
        self.environment = environment
        self.source = source
        self.cycle = cycle
        self.trigger = trigger
        self.resyncInterval = resyncInterval
        self.logger = logger
    }

    public func run() async throws {
        let trigger = trigger
        // An apply the previous controller did not finish is reported now; the first cycle resumes it.
        await cycle.reportInterruptedApply(environment: environment)
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await trigger.wait(timeout: resyncInterval)
                watchdog?.beat(environment)
                if Task.isShuttingDownGracefully { break }
                guard let snapshot = await snapshot() else { continue }
                // The cycle finishes even when a shutdown starts meanwhile: stopping between steps
                // is safe, but a rollout cut in half is not.
                _ = await cycle.run(environment: environment, snapshot: snapshot, apply: true)
                watchdog?.beat(environment)
            }
        } onGracefulShutdown: {
            Task { await trigger.fire() }
        }
    }

    /// The manifests to reconcile: the pinned revision after a rollback, else the newest fetched
    /// (nil until the source loop has fetched once; it fires this loop's trigger then).
    private func snapshot() async -> ManifestSnapshot? {
        let pinned: String?
        do {
            pinned = try await cycle.store.load(environment).pinnedRevision
        } catch {
            logger.error("Cannot read state", metadata: ["error": "\(error)"])
            return nil
        }
        await cycle.status?.update(environment) { $0.pinnedRevision = pinned }
        guard let pinned else { return await source.current }
        do {
            return try await source.snapshot(at: pinned)
        } catch {
            logger.error("Pinned revision unavailable", metadata: ["revision": "\(pinned)", "error": "\(error)"])
            return nil
        }
    }
}
