public import Prometheus
import ShipshapeReconcile

/// Every metric Shipshape exports, with help texts and bounded labels (design: "Metrics").
///
/// Metrics go straight to a `PrometheusCollectorRegistry` rather than through swift-metrics: the
/// registry carries help texts, which `promtool check metrics` requires and swift-metrics has no
/// place for. Every series a dashboard or alert rule reads is created at zero up front, so a rate
/// over a counter that has not moved yet is 0, not absent.
public final class ShipshapeMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let lastApplied = LockedBox<[String: Gauge]>([:])

    /// Results a reconcile cycle can end with (`shipshape_reconcile_total{result}`).
    public enum CycleResult: String, Sendable, CaseIterable {
        case success
        case failure
        case invalid
        case skipped
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), environments: [String]) {
        self.registry = registry
        for env in environments {
            // `skipped` (suspended, cancelled) is not counted: cycles that did nothing are not cycles.
            for result in CycleResult.allCases where result != .skipped { _ = reconcileTotal(env: env, result: result) }
            _ = reconcileDuration(env: env)
            _ = lastSuccessfulReconcile(env: env)
            manifestValid(env: env).set(1.0)
            _ = suspended(env: env)
            _ = pendingApprovalAge(env: env)
            _ = applyInterrupted(env: env)
            for kind in ResourceKind.allCases {
                for status in ["in_sync", "drifted", "failed"] { _ = resources(env: env, kind: kind, status: status) }
                _ = driftDetected(env: env, kind: kind)
                for action in Change.Action.allCases {
                    for result in ["success", "failure"] {
                        _ = applyOperations(env: env, kind: kind, action: action, result: result)
                    }
                }
            }
        }
        for result in ["success", "failure", "unchanged"] { _ = gitFetchTotal(result: result) }
        _ = gitFetchDuration()
        _ = signatureRefused()
        for result in ["accepted", "ignored", "ping", "rejected"] { _ = webhooks(result: result) }
    }

    public func webhooks(result: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "shipshape_webhooks_total", "GitHub webhook requests by result (accepted, ignored, ping, rejected)."),
            labels: [("result", result)]
        )
    }

    public func signatureRefused() -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "shipshape_commit_signature_refused_total",
                "Tip commits not applied because they carry no trusted signature (git.verify)."),
            labels: []
        )
    }

    private static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    static let cycleBuckets: [Duration] = [
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
    ]

    static let fetchBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    public func reconcileTotal(env: String, result: CycleResult) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("shipshape_reconcile_total", "Reconcile cycles by environment and result."),
            labels: [("env", env), ("result", result.rawValue)]
        )
    }

    public func reconcileDuration(env: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.name(
                "shipshape_reconcile_duration_seconds", "Duration of reconcile cycles (observe, plan, apply) in seconds."),
            labels: [("env", env)],
            buckets: Self.cycleBuckets
        )
    }

    public func lastSuccessfulReconcile(env: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name(
                "shipshape_last_successful_reconcile_timestamp_seconds",
                "Unix time of the last reconcile cycle that converged the environment."),
            labels: [("env", env)]
        )
    }

    public func manifestValid(env: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name(
                "shipshape_manifest_valid", "1 when the newest revision's manifests for the environment are valid, else 0."),
            labels: [("env", env)]
        )
    }

    public func suspended(env: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name("shipshape_suspended", "1 when reconciliation of the environment is suspended."),
            labels: [("env", env)]
        )
    }

    public func pendingApprovalAge(env: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name(
                "shipshape_pending_approval_age_seconds",
                "Seconds the oldest held plan of the environment has waited for approval or a window (0: none)."),
            labels: [("env", env)]
        )
    }

    public func resources(env: String, kind: ResourceKind, status: String) -> Gauge {
        registry.makeGauge(
            descriptor: Self.name("shipshape_resources", "Managed resources by environment, kind and status."),
            labels: [("env", env), ("kind", kind.rawValue), ("status", status)]
        )
    }

    public func applyInterrupted(env: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "shipshape_apply_interrupted_total",
                "Applies found cut short (the controller stopped mid-apply) by the controller that started next."),
            labels: [("env", env)]
        )
    }

    public func driftDetected(env: String, kind: ResourceKind) -> Counter {
        registry.makeCounter(
            descriptor: Self.name(
                "shipshape_drift_detected_total", "Resources found to differ from the applied revision without a new commit."),
            labels: [("env", env), ("kind", kind.rawValue)]
        )
    }

    public func applyOperations(env: String, kind: ResourceKind, action: Change.Action, result: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("shipshape_apply_operations_total", "Changes carried out, by kind, action and result."),
            labels: [("env", env), ("kind", kind.rawValue), ("action", action.rawValue), ("result", result)]
        )
    }

    public func gitFetchTotal(result: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("shipshape_git_fetch_total", "Fetches of the config repository by result."),
            labels: [("result", result)]
        )
    }

    public func gitFetchDuration() -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.name("shipshape_git_fetch_duration_seconds", "Duration of config repository fetches in seconds."),
            buckets: Self.fetchBuckets
        )
    }

    /// Points `shipshape_last_applied_info{env,revision}` at `revision`: the previous revision's
    /// series is removed, so exactly one series per environment exists.
    public func setLastApplied(env: String, revision: String) {
        let descriptor = Self.name(
            "shipshape_last_applied_info", "The revision last applied to the environment (value is always 1).")
        lastApplied.withLock { gauges in
            if let old = gauges[env] { registry.unregisterGauge(old) }
            let gauge = registry.makeGauge(descriptor: descriptor, labels: [("env", env), ("revision", revision)])
            gauge.set(1.0)
            gauges[env] = gauge
        }
    }

    /// The exposition text for `/metrics`.
    public func render() -> [UInt8] { registry.emitToBuffer() }
}
