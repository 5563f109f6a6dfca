public import Logging

/// Moves a service's traffic to a set of endpoints: the switch step of a blue/green rollout.
///
/// `route(_:to:logger:)` is idempotent, leaves exactly `endpoints` in traffic, and returns only once
/// the old endpoints get no new requests (after a reload settled, or a deregistration drained), since
/// the caller may stop them right after. The local
/// implementation is `NginxUpstreamSwitch`; `ELBv2TrafficSwitch` registers the green targets in the
/// manifest's target group and deregisters the host's other targets.
public protocol TrafficSwitch: Sendable {
    /// Sends all traffic of `route` to `endpoints`, and none to any other endpoint.
    func route(_ route: TrafficRoute, to endpoints: [TrafficEndpoint], logger: Logger) async throws

    /// The longest `route` takes by its own timeouts and waits. A blue/green rollout keeps blue this
    /// much longer (see `DockerServiceProvider.blueGreenUpdate`), because the keep time is written
    /// on the green containers before the switch.
    var switchBudget: Duration { get }
    /// Where `route`'s traffic goes now; nil when the switch cannot tell. A rollout asks before it
    /// picks the slot for the new set, so that a set that was started but never got the traffic
    /// (a rollout cut short by a crash) is not mistaken for the one serving.
    func currentEndpoints(_ route: TrafficRoute) async throws -> [TrafficEndpoint]?
}

extension TrafficSwitch {
    /// A switch that cannot tell: the rollout takes the newest running set as the one in traffic.
    public func currentEndpoints(_ route: TrafficRoute) async throws -> [TrafficEndpoint]? { nil }
}

/// Whose traffic a switch moves.
public struct TrafficRoute: Sendable, Hashable, CustomStringConvertible {
    /// The environment, e.g. `prod`.
    public var environment: String
    /// The service's name.
    public var service: String
    /// The ELBv2 target group the manifest names (`strategy.targetGroupArn`), if any.
    public var targetGroupArn: String?

    public init(environment: String, service: String, targetGroupArn: String? = nil) {
        self.environment = environment
        self.service = service
        self.targetGroupArn = targetGroupArn
    }

    /// `service/NAME in ENV`, plus the target group when there is one.
    public var description: String {
        "service/\(service) in \(environment)" + (targetGroupArn.map { " (target group \($0))" } ?? "")
    }
}

/// One place traffic can go: a host address and port a replica publishes.
public struct TrafficEndpoint: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address the port is published on (`127.0.0.1` when published on every address).
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public static func < (lhs: TrafficEndpoint, rhs: TrafficEndpoint) -> Bool {
        (lhs.host, lhs.port) < (rhs.host, rhs.port)
    }
}
