public import Logging
public import ShipshapeManifest
import ShipshapeAWS

/// Amazon ECS services (`ecs-service/NAME`, manifest services with `runtime: ecs`): image and task
/// count.
///
/// The ECS service (named like the manifest's service, in `ecs.cluster`) must exist; Shipshape does
/// not create it. A new image registers a new revision of the service's current task definition with
/// only that container's image replaced, points the service at it with UpdateService, and waits for
/// the deployment to settle. When it does not settle in time (or ECS reports the rollout failed), the
/// service is pointed back at the previous task definition and the change fails as stalled, so the
/// revision is not retried until a new commit. The service depends on its `image` resource, so a tag
/// missing from ECR stops the plan before the service is touched.
///
/// Observing an environment is one DescribeServices per cluster (ECS takes 10 names per call) plus
/// DescribeTaskDefinition only for task definition revisions not seen before (they never change).
public struct ECSServiceProvider: Provider {
    public let name = "ecs"
    public let kinds: Set<ResourceKind> = [.ecsService]

    let clients: AWSRegionalClients
    let options: AWSProviderOptions
    let logger: Logger
    let targets = ObservationTargets<ECSTarget>()
    let taskDefinitions = TaskDefinitionCache()

    /// Creates the provider.
    public init(clients: AWSRegionalClients, options: AWSProviderOptions = .init(), logger: Logger) {
        self.clients = clients
        self.options = options
        self.logger = logger
    }

    public func desiredResources(for environment: Environment) throws -> [DesiredResource] {
        let services = environment.spec.services.values.filter { $0.runtime == .ecs }.sorted { $0.name < $1.name }
        var wanted: [ResourceID: ECSTarget] = [:]
        var resources: [DesiredResource] = []
        for service in services {
            let id = ResourceID(.ecsService, service.name)
            guard let placement = service.ecs else {
                throw AWSProviderError.invalid(id.description, "runs on ECS but has no ecs settings; add ecs: { cluster: NAME }")
            }
            let region = try AWSProviderError.region(of: environment, "runs ECS services")
            let spec = ECSServiceSpec(
                id: id, region: region, cluster: placement.cluster, serviceName: service.name,
                image: service.image.description, desiredCount: service.replicas)
            wanted[id] = ECSTarget(cluster: placement.cluster, serviceName: service.name)
            var dependencies = placement.securityGroups.map { ResourceID(.securityGroup, $0) }
            if let image = ECRImages.reference(service.image) { dependencies.append(image.resourceID) }
            resources.append(DesiredResource(id: id, attributes: spec.attributes, dependencies: dependencies, payload: spec))
        }
        targets.record(wanted, environment: environment.name)
        return resources
    }

    public func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource] {
        let wanted = targets.targets(environment: scope.environment)
        guard let region = scope.region, !wanted.isEmpty else { return [:] }
        let ecs = ECSClient(client: try clients.client(for: region))
        let byCluster = Dictionary(grouping: wanted, by: { $0.value.cluster })
        let services = try await withThrowingTaskGroup(of: [ECSService].self) { group in
            for (cluster, entries) in byCluster {
                let names = entries.map { $0.value.serviceName }.sorted()
                group.addTask {
                    do {
                        return try await ecs.describeServices(cluster: cluster, services: names).services
                    } catch let error as AWSError where error.is(.clusterNotFound) {
                        return []
                    }
                }
            }
            var all: [ECSService] = []
            for try await part in group { all += part }
            return all
        }
        let found = Dictionary(
            services.filter { $0.status != "INACTIVE" }.map { ("\($0.clusterARN.map(Self.clusterName) ?? "")/\($0.serviceName)", $0) },
            uniquingKeysWith: { first, _ in first })
        let definitions = try await withThrowingTaskGroup(of: (String, ECSTaskDefinition).self) { group in
            for reference in Set(services.map(\.taskDefinition)) where !reference.isEmpty {
                group.addTask { (reference, try await taskDefinitions.definition(reference, ecs: ecs)) }
            }
            var result: [String: ECSTaskDefinition] = [:]
            for try await (reference, definition) in group { result[reference] = definition }
            return result
        }
        var live: [ResourceID: LiveResource] = [:]
        for (resource, target) in wanted {
            guard let service = found["\(Self.clusterName(target.cluster))/\(target.serviceName)"] else { continue }
            let definition = definitions[service.taskDefinition]
            let observed = ObservedECSService(service: service, taskDefinition: definition, containerName: target.serviceName)
            live[resource] = LiveResource(
                id: resource, attributes: observed.attributes, owned: false, externalID: service.serviceARN, payload: observed)
        }
        return live
    }

    /// The cluster name of a cluster ARN (`arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`) or name.
    static func clusterName(_ cluster: String) -> String {
        cluster.split(separator: "/").last.map(String.init) ?? cluster
    }

    public func apply(_ change: Change, context: ApplyContext) async throws {
        guard change.action != .delete else {
            throw AWSProviderError.unsupported(change.resource, "Shipshape does not delete ECS services; delete it by hand")
        }
        guard let spec = change.desired?.payload as? ECSServiceSpec else {
            throw AWSProviderError.invalid(change.resource.description, "the plan carries no ECS service spec")
        }
        guard let observed = change.live?.payload as? ObservedECSService else {
            throw AWSProviderError.notFound(
                spec.id,
                "ECS service \(spec.serviceName) does not exist in cluster \(spec.cluster) (\(spec.region)); Shipshape does not "
                    + "create ECS services: create it (any task definition), then the next cycle deploys the image")
        }
        try await deploy(spec, observed: observed, logger: context.logger)
    }
}

/// An ECS service as observed, with its current task definition; the live payload.
struct ObservedECSService: Sendable {
    var service: ECSService
    var taskDefinition: ECSTaskDefinition?
    var containerName: String

    var image: String? {
        taskDefinition.flatMap { TaskDefinitionCache.image(of: $0, container: containerName)?.image }
    }

    var attributes: Attributes {
        var attributes: Attributes = [
            "desired-count": .int(service.desiredCount),
            "running-count": .int(service.runningCount),
            "task-definition": .string(service.taskDefinition),
            "deployments": .int(service.deployments.count),
        ]
        if let image { attributes["image"] = .string(image) }
        return attributes
    }
}
