/// A destination for alerts (Slack, a webhook, Alertmanager, GitHub commit statuses).
///
/// `deliver` makes one attempt and throws on failure; retries, backoff, queueing and counting are
/// the dispatcher's. Implementations never put secrets into errors.
public protocol AlertSink: Sendable {
    /// The sink's name from the configuration (the `sink` label of `shipshape_alerts_sent_total`).
    var name: String { get }
    /// Whether the sink takes this kind of event at all (GitHub statuses take only commit outcomes).
    func accepts(_ event: AlertEvent) -> Bool
    /// Sends the event once.
    func deliver(_ event: AlertEvent) async throws
}
