public import Logging
import Prometheus
import ShipshapeGit
public import ServiceLifecycle

/// Fetches the config repository every poll interval (with ±10% jitter so a fleet does not fetch in
/// step) or when woken (a webhook), and wakes every environment loop when the tip moves.
public struct SourceLoop: Service {
    public let source: GitManifestSource
    public let trigger: Trigger
    public let pollInterval: Duration
    public let environmentTriggers: [Trigger]
    public let metrics: ShipshapeMetrics?
    public let status: StatusBoard?
    public let logger: Logger
    /// Gets `gitUnreachable` after `unreachableAfter` failed fetches in a row, and its resolved notice.
    public let alerts: AlertDispatcher<ContinuousClock>?
    public let unreachableAfter: Int

    public init(
        source: GitManifestSource,
        trigger: Trigger,
        pollInterval: Duration,
        environmentTriggers: [Trigger],
        metrics: ShipshapeMetrics?,
        status: StatusBoard?,
        logger: Logger,
        alerts: AlertDispatcher<ContinuousClock>? = nil,
        unreachableAfter: Int = 3
    ) {
        self.alerts = alerts
        self.unreachableAfter = unreachableAfter
        self.source = source
        self.trigger = trigger
        self.pollInterval = pollInterval
        self.environmentTriggers = environmentTriggers
        self.metrics = metrics
        self.status = status
        self.logger = logger
    }

    public func run() async throws {
        let trigger = trigger
        await withGracefulShutdownHandler {
            var lastRevision: String?
            var failures = 0
            var refusedRevision: String?
            var reportedForcedUpdate: GitRefUpdate?
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let start = ContinuousClock.now
                do {
                    let snapshot = try await source.refresh()
                    let moved = snapshot.revision != lastRevision
                    metrics?.gitFetchTotal(result: moved ? "success" : "unchanged").increment()
                    metrics?.gitFetchDuration().record(ContinuousClock.now - start)
                    await status?.recordFetch(error: nil)
                    if failures > 0 {
                        logger.info("Config repository reachable again")
                        alerts?.send(.resolved(.gitUnreachable, environment: "*", revision: snapshot.revision))
                    }
                    failures = 0
                    if refusedRevision != nil {
                        refusedRevision = nil
                        alerts?.send(.resolved(.signatureRefused, environment: "*", revision: snapshot.revision))
                    }
                    if let forced = await source.lastForcedUpdate, forced != reportedForcedUpdate {
                        reportedForcedUpdate = forced
                        alerts?.send(
                            AlertEvent(
                                .historyRewritten, environment: "*", revision: snapshot.revision,
                                summary:
                                    "\(forced.name) was force-pushed from \(forced.old?.short ?? "none") to \(forced.new?.short ?? "none"); following the new tip"
                            ))
                    }
                    if moved {
                        lastRevision = snapshot.revision
                        for environment in environmentTriggers { await environment.fire() }
                    }
                } catch let refused as SignatureRefused {
                    // The fetch worked; the tip is not trusted. The last good revision stays in force.
                    metrics?.gitFetchTotal(result: "success").increment()
                    metrics?.signatureRefused().increment()
                    await status?.recordFetch(error: "\(refused)")
                    logger.error("Commit signature refused", metadata: ["error": "\(refused)"])
                    if refusedRevision != refused.revision {
                        refusedRevision = refused.revision
                        alerts?.send(
                            AlertEvent(
                                .signatureRefused, environment: "*", revision: refused.revision,
                                summary: "\(refused)"))
                    }
                } catch {
                    failures += 1
                    metrics?.gitFetchTotal(result: "failure").increment()
                    metrics?.gitFetchDuration().record(ContinuousClock.now - start)
                    await status?.recordFetch(error: "\(error)")
                    logger.error(
                        "Fetching the config repository failed",
                        metadata: ["error": "\(error)", "failures": "\(failures)"])
                    if failures >= unreachableAfter {
                        alerts?.send(
                            AlertEvent(
                                .gitUnreachable, environment: "*", revision: lastRevision ?? "",
                                summary: "The config repository could not be fetched \(failures) times in a row",
                                details: ["\(error)"]))
                    }
                }
                await trigger.wait(timeout: jittered(pollInterval))
            }
        } onGracefulShutdown: {
            Task { await trigger.fire() }
        }
    }

    private func jittered(_ interval: Duration) -> Duration {
        interval * Double.random(in: 0.9...1.1)
    }
}
