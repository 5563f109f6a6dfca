import Foundation

extension ECSClient {
    /// Polls DescribeServices every `pollInterval` until `service` is settled (by default
    /// `ECSService.isSettled`: one deployment, on the service's task definition, running the desired
    /// count); returns it. Fails with `WaiterTimeout` after `timeout`, naming the deployments seen
    /// last, or at once when a deployment's rollout is `FAILED`.
    ///
    /// moto never settles a service after UpdateService (it keeps the old deployment as PRIMARY),
    /// so against moto this waiter times out after an update — the path where the caller rolls back.
    @discardableResult
    public func waitUntilSettled(
        cluster: String, service: String, timeout: Duration, pollInterval: Duration = .seconds(10),
        isSettled: @Sendable (ECSService) -> Bool = { $0.isSettled }
    ) async throws -> ECSService {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let result = try await describeServices(cluster: cluster, services: [service])
            guard let current = result.services.first else {
                throw AWSError(
                    code: AWSError.Code.serviceNotFound.rawValue,
                    message: "service \(service) not found in cluster \(cluster): \(result.missing.joined(separator: ", "))",
                    service: "ecs", operation: "DescribeServices", classification: .client)
            }
            if isSettled(current) { return current }
            let summary = current.deployments.map {
                "\($0.status ?? "?") \($0.taskDefinition ?? "?") running \($0.runningCount ?? 0)/\($0.desiredCount ?? 0) \($0.rolloutState ?? "")"
            }.joined(separator: "; ")
            if let failed = current.deployments.first(where: { $0.rolloutState == "FAILED" }) {
                throw AWSError(
                    code: AWSError.Code.waiterTimeout.rawValue,
                    message: "deployment \(failed.id ?? "?") of \(service) failed: \(failed.rolloutStateReason ?? summary)",
                    service: "ecs", operation: "DescribeServices", classification: .client)
            }
            if clock.now >= deadline {
                throw AWSError(
                    code: AWSError.Code.waiterTimeout.rawValue,
                    message: "service \(service) in \(cluster) did not settle within \(timeout) on \(current.taskDefinition): \(summary)",
                    service: "ecs", operation: "DescribeServices", classification: .transient)
            }
            try await client.configuration.sleep(pollInterval)
        }
    }
}
