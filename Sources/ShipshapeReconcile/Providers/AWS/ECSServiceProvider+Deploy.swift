import Logging
import ShipshapeAWS

extension ECSServiceProvider {
    /// Registers a task definition revision with the new image (when the image changed), updates the
    /// service, and waits for it to settle; rolls back to the previous task definition when it does not.
    func deploy(_ spec: ECSServiceSpec, observed: ObservedECSService, logger: Logger) async throws {
        let ecs = ECSClient(client: try clients.client(for: spec.region))
        let previous = observed.service.taskDefinition
        var target = previous
        if observed.image != spec.image {
            let current = try await taskDefinitions.definition(previous, ecs: ecs)
            guard let container = TaskDefinitionCache.image(of: current, container: spec.serviceName) else {
                throw AWSProviderError.invalid(
                    spec.id.description,
                    "task definition \(previous) has no container named \(spec.serviceName) and more than one container; "
                        + "name the service's container like the service")
            }
            let registered = try await ecs.registerTaskDefinition(current.replacingImage(with: spec.image, container: container.name))
            guard let arn = registered.arn else {
                throw AWSProviderError.invalid(spec.id.description, "RegisterTaskDefinition returned no ARN")
            }
            target = arn
            logger.info(
                "Registered task definition revision",
                metadata: ["taskDefinition": "\(arn)", "image": "\(spec.image)", "previous": "\(previous)"])
        }
        let countChanged = observed.service.desiredCount != spec.desiredCount
        guard target != previous || countChanged else { return }
        try await ecs.updateService(
            cluster: spec.cluster, service: spec.serviceName, taskDefinition: target == previous ? nil : target,
            desiredCount: countChanged ? spec.desiredCount : nil)
        logger.info("Updated ECS service", metadata: ["service": "\(spec.serviceName)", "taskDefinition": "\(target)"])

        let outcome = try await waitForSettle(spec, taskDefinition: target, ecs: ecs)
        guard let problem = outcome else { return }
        guard target != previous else {
            throw AWSProviderError(
                .deploymentStalled, subject: spec.id.description,
                message: "the service did not settle at \(spec.desiredCount) tasks: \(problem)", disposition: .stalled)
        }
        logger.error(
            "Deployment did not settle; rolling back",
            metadata: ["service": "\(spec.serviceName)", "problem": "\(problem)", "rollbackTo": "\(previous)"])
        try await ecs.updateService(
            cluster: spec.cluster, service: spec.serviceName, taskDefinition: previous,
            desiredCount: countChanged ? observed.service.desiredCount : nil)
        throw AWSProviderError(
            .deploymentStalled, subject: spec.id.description,
            message: "the deployment of \(spec.image) did not settle (\(problem)); rolled back to \(previous). Fix the image "
                + "or the service and push a new commit",
            disposition: .stalled)
    }

    /// Nil when the service settled on `taskDefinition`; otherwise why not (ECS reported the rollout
    /// failed, or it did not settle within `deploymentTimeout`).
    private func waitForSettle(_ spec: ECSServiceSpec, taskDefinition: String, ecs: ECSClient) async throws -> String? {
        do {
            try await ecs.waitUntilSettled(
                cluster: spec.cluster, service: spec.serviceName, timeout: options.deploymentTimeout,
                pollInterval: options.pollInterval
            ) { Self.isSettled($0, on: taskDefinition) }
            return nil
        } catch let error as AWSError where error.is(.waiterTimeout) {
            return error.message
        }
    }

    /// Settled on `taskDefinition`: the service points at it and runs its desired count, the
    /// deployment of that task definition runs its count and has not failed, and every other
    /// deployment has drained. Where ECS reports no deployment for the task definition (moto keeps a
    /// stale one after UpdateService), the service-level counts decide.
    static func isSettled(_ service: ECSService, on taskDefinition: String) -> Bool {
        let mine = service.deployments.first { $0.taskDefinition == taskDefinition }
        if mine?.rolloutState == "FAILED" { return false }
        let others = service.deployments.filter { $0.taskDefinition != taskDefinition && ($0.runningCount ?? 0) > 0 }
        let ownRunning = mine.map { ($0.runningCount ?? 0) >= ($0.desiredCount ?? service.desiredCount) } ?? true
        return service.taskDefinition == taskDefinition && service.runningCount == service.desiredCount && ownRunning
            && (mine == nil || others.isEmpty)
    }
}
