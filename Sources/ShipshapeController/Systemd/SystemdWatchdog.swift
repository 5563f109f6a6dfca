public import Logging
public import ServiceLifecycle

/// Keeps systemd's watchdog fed while the reconcile loops make progress, and tells systemd when the
/// controller stops.
///
/// Each loop calls `beat(_:)` on every pass (`WATCHDOG=1 from the loop`). Every half of
/// `WATCHDOG_USEC` the service sends `WATCHDOG=1` with a fresh `STATUS=` line — but only while every
/// registered loop has beaten within `maxSilence`; a loop that hangs stops the pings, and systemd
/// restarts the service (`Restart=on-failure`). On graceful shutdown it sends `STOPPING=1`.
///
/// Set `maxSilence` above the longest a loop may legitimately be quiet: its resync interval plus the
/// longest cycle (a rollout waiting on health checks).
public final class SystemdWatchdog<C: Clock>: ServiceLifecycle.Service, Sendable where C.Duration == Duration {
    public let notifier: SystemdNotifier
    public let maxSilence: Duration
    private let clock: C
    private let statusLine: @Sendable () async -> String
    private let logger: Logger
    private let beats: LockedBox<[String: C.Instant]>

    /// `loops` are the names that must keep beating (the environments); `statusLine` gives the
    /// one-line `STATUS=` summary (`SystemdStatusLine.summary(of:)`).
    public init(
        notifier: SystemdNotifier,
        loops: [String],
        maxSilence: Duration,
        clock: C,
        logger: Logger,
        statusLine: @escaping @Sendable () async -> String
    ) {
        self.notifier = notifier
        self.maxSilence = maxSilence
        self.clock = clock
        self.logger = logger
        self.statusLine = statusLine
        let now = clock.now
        beats = LockedBox(Dictionary(loops.map { ($0, now) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Records progress of `loop`.
    public func beat(_ loop: String) {
        let now = clock.now
        beats.withLock { $0[loop] = now }
    }

    /// The loops that have not beaten within `maxSilence`.
    public var stalledLoops: [String] {
        let now = clock.now
        return beats.withLock { beats in
            beats.filter { $0.value.duration(to: now) > maxSilence }.map(\.key).sorted()
        }
    }

    /// Pings until shutdown; then sends `STOPPING=1`.
    public func run() async throws {
        let notifier = notifier
        let logger = logger
        await withGracefulShutdownHandler {
            guard let timeout = notifier.watchdogTimeout else {
                // No watchdog: nothing to do until shutdown.
                try? await gracefulShutdown()
                return
            }
            let interval = timeout / 2
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                let stalled = stalledLoops
                do {
                    if stalled.isEmpty {
                        try notifier.notify(["WATCHDOG=1", "STATUS=\(SystemdNotifier.oneLine(await statusLine()))"])
                    } else {
                        logger.error(
                            "Reconcile loops made no progress; not feeding the watchdog, systemd will restart the service",
                            metadata: ["loops": "\(stalled.joined(separator: ","))"])
                        try notifier.status("stalled: \(stalled.joined(separator: ", "))")
                    }
                } catch {
                    logger.warning("sd_notify failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await cancelWhenGracefulShutdown { try await self.clock.sleep(for: interval) }
                } catch {
                    break
                }
            }
        } onGracefulShutdown: {
            do {
                try notifier.stopping(status: "stopping: finishing running cycles")
            } catch {
                logger.warning("sd_notify failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
