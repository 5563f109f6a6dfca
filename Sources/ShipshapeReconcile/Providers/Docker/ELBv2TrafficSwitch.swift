import Foundation
public import Logging
public import ShipshapeAWS

/// Blue/green's switch for a service whose manifest names `strategy.targetGroupArn`: this host's
/// published ports as targets of that ELBv2 target group.
///
/// The host is one target id (`identity`): its EC2 instance id (target type `instance`) or its
/// address (target type `ip`); each endpoint contributes its *port* (the endpoint's host is the
/// local bind address, which the load balancer never sees). `route(_:to:logger:)`:
///
/// 1. reads the group's targets (`DescribeTargetHealth`) and registers the wanted `(id, port)`
///    targets that are not registered (or are draining);
/// 2. waits until every wanted target is `healthy`, asking every `pollInterval`, for at most
///    `healthTimeout`; if they are not, it deregisters the targets it registered in step 1 and fails
///    naming the group and each unhealthy target with its state and reason;
/// 3. deregisters this host's other targets of the group (targets of other instances or addresses
///    are never touched) and waits until they have drained (left the group), for at most
///    `drainTimeout`; past that it logs a warning and returns, since draining targets get no new
///    requests (set `drainTimeout` to at least the group's deregistration delay, 300 s by default).
///
/// A second call with the same endpoints reads the group once and changes nothing. The call goes to
/// the region in the target group's ARN.
public struct ELBv2TrafficSwitch: TrafficSwitch {
    /// How this host appears as a target.
    public enum Identity: Sendable {
        /// Target type `instance`: this EC2 instance's id (`i-0123456789abcdef0`).
        case instance(String)
        /// Target type `ip`: this host's address in the target group's VPC.
        case ipAddress(String)
        /// Target type `instance`, with the id read from the instance metadata service (IMDSv2) at
        /// the first switch.
        case instanceFromMetadata(InstanceMetadataClient)
    }

    public let clients: AWSRegionalClients
    public let identity: Identity
    /// How long the new targets get to become `healthy` (default 5 m).
    public let healthTimeout: Duration
    /// How long the old targets get to drain after their deregistration (default 5 m).
    public let drainTimeout: Duration
    /// How often the group's target health is read while waiting (default 5 s).
    public let pollInterval: Duration

    public init(
        clients: AWSRegionalClients, identity: Identity, healthTimeout: Duration = .seconds(300),
        drainTimeout: Duration = .seconds(300), pollInterval: Duration = .seconds(5)
    ) {
        self.clients = clients
        self.identity = identity
        self.healthTimeout = healthTimeout
        self.drainTimeout = drainTimeout
        self.pollInterval = pollInterval
    }

    /// Both waits, plus a minute for the API calls themselves.
    public var switchBudget: Duration { healthTimeout + drainTimeout + .seconds(60) }

    public func route(_ route: TrafficRoute, to endpoints: [TrafficEndpoint], logger: Logger) async throws {
        guard !endpoints.isEmpty else {
            throw TrafficSwitchError("\(route): no endpoints to switch to (the service publishes no TCP port)")
        }
        let (elb, arn, host) = try await resolve(route)
        let wanted = Set(endpoints.map { ELBTarget(id: host, port: $0.port) })
        do {
            try await converge(elb: elb, arn: arn, host: host, wanted: wanted, logger: logger)
        } catch let error as TrafficSwitchError {
            throw error
        } catch {
            throw TrafficSwitchError("target group \(arn): switching \(route) failed: \(error)")
        }
    }

    /// This host's ports registered (and not draining) in the route's target group: where its
    /// traffic goes. Only the ports carry over; the host is the loopback address.
    public func currentEndpoints(_ route: TrafficRoute) async throws -> [TrafficEndpoint]? {
        let (elb, arn, host) = try await resolve(route)
        let current: [ELBTargetHealth]
        do {
            current = try await elb.describeTargetHealth(targetGroupARN: arn)
        } catch {
            throw TrafficSwitchError("target group \(arn): reading its targets failed: \(error)")
        }
        return current.filter { $0.target.id == host && Self.isRegistered($0) }.compactMap { health in
            health.target.port.map { TrafficEndpoint(host: "127.0.0.1", port: $0) }
        }.sorted()
    }

    /// The ELBv2 client for the region of the route's target group, the group's ARN, and this
    /// host's target id.
    private func resolve(_ route: TrafficRoute) async throws -> (ELBv2Client, String, String) {
        guard let arn = route.targetGroupArn else {
            throw TrafficSwitchError("\(route): the ELBv2 switch needs strategy.targetGroupArn")
        }
        guard let region = Self.region(ofTargetGroup: arn) else {
            throw TrafficSwitchError("\(route): `\(arn)` is not a target group ARN")
        }
        let elb: ELBv2Client
        do {
            elb = ELBv2Client(client: try clients.client(for: region))
        } catch {
            throw TrafficSwitchError("target group \(arn): no AWS client for \(region): \(error)")
        }
        do {
            return (elb, arn, try await targetID())
        } catch {
            let reason = (error as? AWSError)?.message ?? "\(error)"
            throw TrafficSwitchError(
                "target group \(arn): cannot tell this host's target id: \(reason) (off EC2, or without the metadata service, set docker.targetGroup.instanceId or ipAddress)"
            )
        }
    }

    private func converge(elb: ELBv2Client, arn: String, host: String, wanted: Set<ELBTarget>, logger: Logger)
        async throws
    {
        var metadata: Logger.Metadata = ["targetGroup": "\(arn)", "target": "\(host)"]
        let before = try await elb.describeTargetHealth(targetGroupARN: arn)
        let registering = Self.toRegister(wanted: wanted, current: before)
        if !registering.isEmpty {
            metadata["ports"] = "\(registering.compactMap(\.port).map(String.init).joined(separator: ","))"
            logger.info("Registering targets", metadata: metadata)
            try await elb.registerTargets(targetGroupARN: arn, registering)
        }
        let healthy: [ELBTargetHealth]
        do {
            healthy = try await waitHealthy(
                elb: elb, arn: arn, wanted: wanted, first: registering.isEmpty ? before : nil)
        } catch {
            if !registering.isEmpty { try? await elb.deregisterTargets(targetGroupARN: arn, registering) }
            let undone = registering.isEmpty ? "" : "; the targets registered for it were deregistered again"
            throw TrafficSwitchError(
                "target group \(arn): \(error)\(undone); the group's other targets were not touched")
        }
        let leaving = Self.leaving(host: host, wanted: wanted, current: healthy)
        let deregistering = leaving.filter(Self.isRegistered).map(\.target)
        if !deregistering.isEmpty {
            metadata["ports"] = "\(deregistering.compactMap(\.port).map(String.init).joined(separator: ","))"
            logger.info("Deregistering targets", metadata: metadata)
            try await elb.deregisterTargets(targetGroupARN: arn, deregistering)
        }
        if !leaving.isEmpty {
            try await waitDrained(elb: elb, arn: arn, leaving: Set(leaving.map(\.target)), logger: logger)
        }
    }

    /// Reads the group until every wanted target is healthy; returns that reading. `first` is a
    /// reading already made.
    private func waitHealthy(
        elb: ELBv2Client, arn: String, wanted: Set<ELBTarget>, first: [ELBTargetHealth]?
    ) async throws -> [ELBTargetHealth] {
        let deadline = ContinuousClock.now + healthTimeout
        var reading = first
        while true {
            let current: [ELBTargetHealth]
            if let reading {
                current = reading
            } else {
                current = try await elb.describeTargetHealth(targetGroupARN: arn)
            }
            reading = nil
            let unhealthy = Self.unhealthy(wanted: wanted, current: current)
            if unhealthy.isEmpty { return current }
            guard ContinuousClock.now < deadline else {
                throw TrafficSwitchError(
                    "targets not healthy within \(healthTimeout): " + unhealthy.joined(separator: "; "))
            }
            try await Task.sleep(for: min(pollInterval, max(.zero, deadline - ContinuousClock.now)))
        }
    }

    /// Reads the group until none of `leaving` is present (registered or draining) any more.
    private func waitDrained(elb: ELBv2Client, arn: String, leaving: Set<ELBTarget>, logger: Logger) async throws {
        let deadline = ContinuousClock.now + drainTimeout
        while true {
            let current = try await elb.describeTargetHealth(targetGroupARN: arn)
            let remaining = current.filter { leaving.contains($0.target) && Self.isPresent($0) }
            if remaining.isEmpty { return }
            guard ContinuousClock.now < deadline else {
                logger.warning(
                    "Old targets still draining after drainTimeout; they get no new requests, in-flight requests may be cut when they stop",
                    metadata: [
                        "targetGroup": "\(arn)", "drainTimeout": "\(drainTimeout)",
                        "targets": "\(remaining.map { Self.describe($0.target) }.sorted().joined(separator: ","))",
                    ])
                return
            }
            try await Task.sleep(for: min(pollInterval, max(.zero, deadline - ContinuousClock.now)))
        }
    }

    private func targetID() async throws -> String {
        switch identity {
        case .instance(let id), .ipAddress(let id): return id
        case .instanceFromMetadata(let metadata): return try await metadata.instanceID()
        }
    }

    // MARK: The decisions, from one reading of the group

    /// Whether a reading shows the target in the group: registered, or draining after its
    /// deregistration (a reading for a target that is not in the group says `Target.NotRegistered`).
    static func isPresent(_ health: ELBTargetHealth) -> Bool { health.reason != "Target.NotRegistered" }

    /// Whether a reading shows the target registered (present and not draining).
    static func isRegistered(_ health: ELBTargetHealth) -> Bool { isPresent(health) && health.state != "draining" }

    /// The wanted targets that are not registered, or are draining (a switch back before the drain
    /// ended registers them again).
    static func toRegister(wanted: Set<ELBTarget>, current: [ELBTargetHealth]) -> [ELBTarget] {
        wanted.subtracting(current.filter(isRegistered).map(\.target)).sorted(by: order)
    }

    /// Each wanted target that is not healthy, as `ID:PORT STATE (REASON: DESCRIPTION)`.
    static func unhealthy(wanted: Set<ELBTarget>, current: [ELBTargetHealth]) -> [String] {
        wanted.sorted(by: order).compactMap { target in
            guard let health = current.first(where: { $0.target == target }) else {
                return "\(describe(target)) not registered"
            }
            guard health.state != "healthy" else { return nil }
            let why = [health.reason, health.description].compactMap { $0 }.joined(separator: ": ")
            return "\(describe(target)) \(health.state.isEmpty ? "unknown" : health.state)"
                + (why.isEmpty ? "" : " (\(why))")
        }
    }

    /// This host's targets that are not wanted (registered, or still draining).
    static func leaving(host: String, wanted: Set<ELBTarget>, current: [ELBTargetHealth]) -> [ELBTargetHealth] {
        current.filter { $0.target.id == host && !wanted.contains($0.target) && isPresent($0) }
    }

    /// `REGION` of `arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID`.
    static func region(ofTargetGroup arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "elasticloadbalancing", !parts[3].isEmpty,
            parts[5].hasPrefix("targetgroup/")
        else { return nil }
        return String(parts[3])
    }

    static func describe(_ target: ELBTarget) -> String {
        target.port.map { "\(target.id):\($0)" } ?? target.id
    }

    static func order(_ lhs: ELBTarget, _ rhs: ELBTarget) -> Bool {
        (lhs.id, lhs.port ?? 0) < (rhs.id, rhs.port ?? 0)
    }
}
