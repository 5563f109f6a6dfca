import Foundation

/// A load balancer target: an instance id (or IP) and optional port.
public struct ELBTarget: Sendable, Hashable {
    public var id: String
    public var port: Int?
    public init(id: String, port: Int? = nil) {
        self.id = id
        self.port = port
    }
}

/// A target's health in a target group.
public struct ELBTargetHealth: Sendable, Hashable {
    public var target: ELBTarget
    /// `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`.
    public var state: String
    public var reason: String?
    public var description: String?

    public init(target: ELBTarget, state: String, reason: String? = nil, description: String? = nil) {
        self.target = target
        self.state = state
        self.reason = reason
        self.description = description
    }
}

/// ELBv2: target registration and health (awsquery protocol).
public struct ELBv2Client: Sendable {
    public let client: AWSClient
    public init(client: AWSClient) { self.client = client }

    private static func add(_ targets: [ELBTarget], to parameters: inout QueryParameters) {
        for (index, target) in targets.enumerated() {
            parameters.add("Targets.member.\(index + 1).Id", target.id)
            parameters.add("Targets.member.\(index + 1).Port", target.port)
        }
    }

    /// Registers targets with `targetGroupARN`.
    public func registerTargets(targetGroupARN: String, _ targets: [ELBTarget]) async throws {
        var parameters = QueryParameters()
        parameters.add("TargetGroupArn", targetGroupARN)
        Self.add(targets, to: &parameters)
        _ = try await client.awsQueryResult(.elbv2RegisterTargets, parameters)
    }

    /// Deregisters targets from `targetGroupARN`.
    public func deregisterTargets(targetGroupARN: String, _ targets: [ELBTarget]) async throws {
        var parameters = QueryParameters()
        parameters.add("TargetGroupArn", targetGroupARN)
        Self.add(targets, to: &parameters)
        _ = try await client.awsQueryResult(.elbv2DeregisterTargets, parameters)
    }

    /// Health of `targets` (or every registered target when empty) in `targetGroupARN`.
    public func describeTargetHealth(targetGroupARN: String, targets: [ELBTarget] = []) async throws -> [ELBTargetHealth] {
        var parameters = QueryParameters()
        parameters.add("TargetGroupArn", targetGroupARN)
        Self.add(targets, to: &parameters)
        let result = try await client.awsQueryResult(.elbv2DescribeTargetHealth, parameters)
        return result.list("TargetHealthDescriptions", item: "member").map { member in
            ELBTargetHealth(
                target: ELBTarget(
                    id: member.path("Target", "Id")?.text ?? "", port: member.path("Target", "Port").flatMap { Int($0.text) }),
                state: member.path("TargetHealth", "State")?.text ?? "",
                reason: member.path("TargetHealth", "Reason")?.text,
                description: member.path("TargetHealth", "Description")?.text)
        }
    }
}
