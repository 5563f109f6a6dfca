public import Prometheus

extension ShipshapeMetrics {
    /// How an alert delivery ended (`shipshape_alerts_sent_total{result}`).
    public enum AlertResult: String, Sendable, CaseIterable {
        /// The sink accepted the alert.
        case success
        /// One attempt failed (counted per attempt; a retry may still succeed).
        case failure
        /// Given up: retries exhausted, the sink's queue was full, or the controller stopped first.
        case dropped
        /// A repeat inside the dedup window, not sent.
        case suppressed
    }

    /// `shipshape_alerts_sent_total{sink,result}`.
    public func alertsSent(sink: String, result: AlertResult) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "shipshape_alerts_sent_total",
                unitName: "",
                helpText: "Alert deliveries by sink and result (success, failure per attempt, dropped, suppressed)."),
            labels: [("sink", sink), ("result", result.rawValue)]
        )
    }

    /// `shipshape_alerts_queued{sink}`: alerts waiting for delivery.
    public func alertsQueued(sink: String) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "shipshape_alerts_queued", unitName: "", helpText: "Alerts waiting for delivery, by sink."),
            labels: [("sink", sink)]
        )
    }

    /// Creates every alert series of `sinks` at zero.
    public func prepareAlerts(sinks: [String]) {
        for sink in sinks {
            for result in AlertResult.allCases { _ = alertsSent(sink: sink, result: result) }
            _ = alertsQueued(sink: sink)
        }
    }
}
