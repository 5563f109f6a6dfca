import Foundation
public import Logging
import Prometheus
public import ServiceLifecycle
public import ShipshapeManifest

/// Takes alert events from the reconcile loops and delivers them to the sinks in the background.
///
/// - `send(_:)` never waits: it decides (dedup, routing) under a lock and puts the event on each
///   target sink's bounded queue. A full queue drops the event (counted as `dropped`), so a slow or
///   failing sink never holds up reconciliation.
/// - Each sink has its own queue and worker, so one slow sink does not delay another. A failed
///   delivery is retried `retry.attempts` times in all, waiting `initialBackoff × 2^(n−1)` (capped at
///   `maxBackoff`, ±`jitter`) after the n-th failure, then dropped and counted.
/// - A repeat (same `deduplicationKey`) inside `dedupWindow` is suppressed and counted per sink.
/// - A problem stays open until `AlertEvent.resolved(…)` closes it; the resolved notice goes to the
///   sinks that got the problem. A resolved notice for a problem that is not open is not sent; one
///   without a resource closes every open problem of its kind in its environment.
///
/// Run it in the controller's `ServiceGroup`, listed before the loops so it stops after them: on
/// graceful shutdown it stops taking events and makes one attempt (no retries) at what is queued;
/// after the first failure during shutdown the rest for that sink is dropped.
/// The clock is injected so tests control time.
public final class AlertDispatcher<C: Clock>: ServiceLifecycle.Service, Sendable where C.Duration == Duration {
    /// A sink with its queue and the configured filters.
    struct Lane: Sendable {
        let sink: any AlertSink
        let events: Set<AlertEvent.Kind>?
        let minSeverity: AlertSeverity
        let stream: AsyncStream<AlertEvent>
        let continuation: AsyncStream<AlertEvent>.Continuation
    }

    struct State: Sendable {
        /// Deduplication key → when it was last sent, and the problem it belongs to.
        var lastSent: [String: (at: C.Instant, problem: String)] = [:]
        /// Open problems by `problemKey`.
        var open: [String: AlertEvent] = [:]
        /// Routes from the manifests (`spec.alerts.routes`), by environment.
        var manifestRoutes: [String: [AlertRoute]] = [:]
        var queued: [String: Int] = [:]
        var stopping = false
    }

    private let lanes: [Lane]
    private let routing: @Sendable (String) -> [String]
    private let dedupWindow: Duration
    private let retry: AlertsConfiguration.Retry
    private let metrics: ShipshapeMetrics?
    private let clock: C
    private let logger: Logger
    private let state = LockedBox(State())
    /// Finished by `finish()`: keeps `run()` going while there are no sinks.
    private let stopSignal = AsyncStream<Never>.makeStream()

    /// One sink with the configuration's filters for it.
    public struct Target: Sendable {
        public var sink: any AlertSink
        public var events: Set<AlertEvent.Kind>?
        public var minSeverity: AlertSeverity

        public init(_ sink: any AlertSink, events: Set<AlertEvent.Kind>? = nil, minSeverity: AlertSeverity = .info) {
            self.sink = sink
            self.events = events
            self.minSeverity = minSeverity
        }
    }

    /// Creates a dispatcher over `targets`. `routing` gives the sink names an environment's events
    /// go to (`AlertsConfiguration.sinkNames(for:)`); `queueCapacity` bounds each sink's queue.
    public init(
        targets: [Target],
        routing: @escaping @Sendable (String) -> [String],
        dedupWindow: Duration,
        queueCapacity: Int,
        retry: AlertsConfiguration.Retry,
        metrics: ShipshapeMetrics?,
        clock: C,
        logger: Logger
    ) {
        lanes = targets.map { target in
            let (stream, continuation) = AsyncStream<AlertEvent>.makeStream(bufferingPolicy: .bufferingOldest(max(queueCapacity, 1)))
            return Lane(
                sink: target.sink, events: target.events, minSeverity: target.minSeverity, stream: stream,
                continuation: continuation)
        }
        self.routing = routing
        self.dedupWindow = dedupWindow
        self.retry = retry
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        metrics?.prepareAlerts(sinks: targets.map(\.sink.name))
    }

    /// The names of the sinks, in configuration order.
    public var sinkNames: [String] { lanes.map(\.sink.name) }

    /// Whether graceful shutdown has begun (events are no longer taken, failures not retried).
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Problems reported and not yet resolved.
    public var openProblems: [AlertEvent] {
        state.withLock { $0.open.values.sorted { $0.problemKey < $1.problemKey } }
    }

    /// Uses the manifests' routes for `environment` instead of the configuration's (an empty list
    /// goes back to the configuration's). Routes naming a sink that is not configured are ignored.
    public func setManifestRoutes(_ routes: [AlertRoute], for environment: String) {
        let known = Set(sinkNames)
        for route in routes where !known.contains(route.sink) {
            logger.warning(
                "Manifest alert route names a sink that is not configured; ignored",
                metadata: ["env": "\(environment)", "sink": "\(route.sink)"])
        }
        state.withLock { $0.manifestRoutes[environment] = routes.isEmpty ? nil : routes }
    }

    /// Queues `event` for its sinks and returns at once (see the type's documentation).
    public func send(_ event: AlertEvent) {
        let now = clock.now
        let window = dedupWindow
        let (deliver, suppressed) = state.withLock { state -> ([AlertEvent], [Lane]) in
            state.lastSent = state.lastSent.filter { $0.value.at.duration(to: now) < window }
            switch event.status {
            case .resolved:
                // Without a resource the notice closes every open problem of its kind in the environment.
                let keys =
                    event.resource == nil
                    ? state.open.filter { $0.value.kind == event.kind && $0.value.environment == event.environment }.keys.sorted()
                    : [event.problemKey]
                var notices: [AlertEvent] = []
                for key in keys {
                    guard let problem = state.open.removeValue(forKey: key) else { continue }
                    state.lastSent = state.lastSent.filter { $0.value.problem != key }
                    var notice = event
                    notice.severity = problem.severity
                    notice.resource = problem.resource
                    notices.append(notice)
                }
                return (notices, [])
            case .firing:
                let targets = targets(for: event, routes: state.manifestRoutes)
                if state.lastSent[event.deduplicationKey] != nil { return ([], targets) }
                state.lastSent[event.deduplicationKey] = (now, event.problemKey)
                if event.kind.isProblem { state.open[event.problemKey] = event }
                return ([event], [])
            }
        }
        for lane in suppressed {
            metrics?.alertsSent(sink: lane.sink.name, result: .suppressed).increment()
        }
        if !suppressed.isEmpty {
            logger.debug(
                "Alert suppressed: repeated inside the dedup window",
                metadata: ["alert.kind": "\(event.kind.rawValue)", "env": "\(event.environment)"])
        }
        guard !deliver.isEmpty else { return }
        let routes = state.withLock { $0.manifestRoutes }
        for notice in deliver {
            for lane in targets(for: notice, routes: routes) { enqueue(notice, on: lane) }
        }
    }

    private func targets(for event: AlertEvent, routes: [String: [AlertRoute]]) -> [Lane] {
        let manifestRoutes = event.environment == "*" ? nil : routes[event.environment]
        let names = manifestRoutes.map { $0.map(\.sink) } ?? routing(event.environment)
        return lanes.filter { lane in
            guard names.contains(lane.sink.name), lane.sink.accepts(event) else { return false }
            if let events = lane.events, !events.contains(event.kind) { return false }
            guard event.severity >= lane.minSeverity else { return false }
            if let manifestRoutes {
                return manifestRoutes.contains { route in
                    guard route.sink == lane.sink.name, event.severity >= route.minSeverity else { return false }
                    if route.events.isEmpty { return true }
                    return event.kind.manifestEvent.map(route.events.contains) ?? false
                }
            }
            return true
        }
    }

    private func enqueue(_ event: AlertEvent, on lane: Lane) {
        let name = lane.sink.name
        let stopping = state.withLock { $0.stopping }
        guard !stopping else {
            metrics?.alertsSent(sink: name, result: .dropped).increment()
            logger.warning("Alert dropped: the controller is stopping", metadata: metadata(event, sink: name))
            return
        }
        // Count first: the worker may take the event before `yield` returns.
        adjustQueued(name, by: 1)
        if case .enqueued = lane.continuation.yield(event) { return }
        adjustQueued(name, by: -1)
        metrics?.alertsSent(sink: name, result: .dropped).increment()
        logger.warning("Alert dropped: the sink's queue is full", metadata: metadata(event, sink: name))
    }

    private func adjustQueued(_ sink: String, by delta: Int) {
        let count = state.withLock { state in
            state.queued[sink, default: 0] += delta
            return state.queued[sink, default: 0]
        }
        metrics?.alertsQueued(sink: sink).set(Double(count))
    }

    /// Delivers until the queues are finished (`finish()` or graceful shutdown) and drained.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let stop = stopSignal.stream
                group.addTask {
                    for await _ in stop {}
                }
                for lane in lanes {
                    group.addTask { await self.drain(lane) }
                }
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.stopping = true }
            self.finish()
        }
    }

    /// Stops taking events; `run()` returns once everything queued has been handled.
    public func finish() {
        for lane in lanes { lane.continuation.finish() }
        stopSignal.continuation.finish()
    }

    private func drain(_ lane: Lane) async {
        // Once a delivery fails during shutdown the sink is taken as down: the rest is dropped without
        // trying, so a dead sink cannot hold up the stop by one timeout per queued alert.
        var givenUp = false
        for await event in lane.stream {
            adjustQueued(lane.sink.name, by: -1)
            if givenUp {
                metrics?.alertsSent(sink: lane.sink.name, result: .dropped).increment()
                logger.warning("Alert dropped: the sink failed while stopping", metadata: metadata(event, sink: lane.sink.name))
                continue
            }
            let delivered = await deliver(event, to: lane.sink)
            if !delivered && state.withLock({ $0.stopping }) { givenUp = true }
        }
    }

    /// One event to one sink with retries; true when the sink took it.
    private func deliver(_ event: AlertEvent, to sink: any AlertSink) async -> Bool {
        var attempt = 1
        while true {
            do {
                try await sink.deliver(event)
                metrics?.alertsSent(sink: sink.name, result: .success).increment()
                logger.debug("Alert sent", metadata: metadata(event, sink: sink.name))
                return true
            } catch {
                if error is CancellationError || Task.isCancelled {
                    metrics?.alertsSent(sink: sink.name, result: .dropped).increment()
                    return false
                }
                metrics?.alertsSent(sink: sink.name, result: .failure).increment()
                var meta = metadata(event, sink: sink.name)
                meta["error"] = "\(error)"
                meta["attempt"] = "\(attempt)"
                let stopping = state.withLock { $0.stopping }
                guard attempt < retry.attempts, !stopping else {
                    metrics?.alertsSent(sink: sink.name, result: .dropped).increment()
                    logger.error("Alert dropped after failed delivery", metadata: meta)
                    return false
                }
                let delay = jittered(retry.backoff(afterAttempt: attempt))
                meta["retry.in"] = "\(delay)"
                logger.warning("Alert delivery failed; retrying", metadata: meta)
                do {
                    try await clock.sleep(for: delay)
                } catch {
                    metrics?.alertsSent(sink: sink.name, result: .dropped).increment()
                    return false
                }
                attempt += 1
            }
        }
    }

    private func jittered(_ delay: Duration) -> Duration {
        guard retry.jitter > 0 else { return delay }
        return delay * Double.random(in: (1 - retry.jitter)...(1 + retry.jitter))
    }

    private func metadata(_ event: AlertEvent, sink: String) -> Logger.Metadata {
        [
            "sink": "\(sink)", "alert.kind": "\(event.kind.rawValue)", "alert.status": "\(event.status.rawValue)",
            "env": "\(event.environment)", "revision": "\(event.shortRevision)",
        ]
    }
}
