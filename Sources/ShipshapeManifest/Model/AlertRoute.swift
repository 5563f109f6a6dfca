/// Sends an environment's alerts to one sink of the controller's configuration.
public struct AlertRoute: Sendable, Hashable {
    /// Sink name, as defined in the controller's config file.
    public var sink: String
    /// The events routed; empty means every event.
    public var events: Set<AlertEvent>
    /// Only alerts at least this severe (default `info`: all).
    public var minSeverity: AlertSeverity

    /// Creates a route.
    public init(sink: String, events: Set<AlertEvent> = [], minSeverity: AlertSeverity = .info) {
        self.sink = sink
        self.events = events
        self.minSeverity = minSeverity
    }
}
