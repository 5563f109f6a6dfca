public import Logging
public import ShipshapeManifest
import ShipshapeAWS

/// Images in ECR (`image/REFERENCE`) that ECS services need: a check, never a change.
///
/// Every ECR image an `runtime: ecs` service names becomes an `image` resource the service depends
/// on. When the tag (or digest) is in ECR the resource is in sync; when it is not, the plan creates
/// it and applying fails with an error naming the missing tag, so the executor stops before the
/// services that need it are touched.
///
/// Observing an environment is one paginated DescribeImages per repository.
public struct ImageProvider: Provider {
    public let name = "ecr-images"
    public let kinds: Set<ResourceKind> = [.image]

    let clients: AWSRegionalClients
    let logger: Logger
    let targets = ObservationTargets<ECRImages.Reference>()

    /// Creates the provider.
    public init(clients: AWSRegionalClients, logger: Logger) {
        self.clients = clients
        self.logger = logger
    }

    /// An image as the manifests want it; the desired payload of `image/REFERENCE`.
    struct Spec: Sendable {
        var region: String
        var reference: ECRImages.Reference
    }

    public func desiredResources(for environment: Environment) throws -> [DesiredResource] {
        var references: [ResourceID: ECRImages.Reference] = [:]
        for service in environment.spec.services.values where service.runtime == .ecs {
            if let reference = ECRImages.reference(service.image) { references[reference.resourceID] = reference }
        }
        targets.record(references, environment: environment.name)
        guard !references.isEmpty else { return [] }
        let region = try AWSProviderError.region(of: environment, "runs ECS services")
        return references.sorted { $0.key < $1.key }.map { id, reference in
            DesiredResource(id: id, attributes: ["present": .bool(true)], payload: Spec(region: region, reference: reference))
        }
    }

    public func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource] {
        let wanted = targets.targets(environment: scope.environment)
        guard let region = scope.region, !wanted.isEmpty else { return [:] }
        let ecr = ECRClient(client: try clients.client(for: region))
        let repositories = Set(wanted.values.map { RepositoryKey(registryID: $0.registryID, repository: $0.repository) })
        let images = try await withThrowingTaskGroup(of: (RepositoryKey, [ECRImage]).self) { group in
            for key in repositories {
                group.addTask {
                    do {
                        return (key, try await ecr.describeImages(repository: key.repository, registryID: key.registryID))
                    } catch let error as AWSError where error.is(.repositoryNotFound) {
                        return (key, [])
                    }
                }
            }
            var result: [RepositoryKey: [ECRImage]] = [:]
            for try await (key, found) in group { result[key] = found }
            return result
        }
        var live: [ResourceID: LiveResource] = [:]
        for (resource, reference) in wanted {
            let candidates = images[RepositoryKey(registryID: reference.registryID, repository: reference.repository)] ?? []
            guard let image = candidates.first(where: { Self.matches($0, reference) }) else { continue }
            live[resource] = LiveResource(
                id: resource, attributes: ["present": .bool(true), "digest": .string(image.digest)], owned: false,
                externalID: image.digest, payload: image)
        }
        return live
    }

    static func matches(_ image: ECRImage, _ reference: ECRImages.Reference) -> Bool {
        if let digest = reference.digest, image.digest != digest { return false }
        if let tag = reference.tag, !image.tags.contains(tag) { return false }
        return true
    }

    public func apply(_ change: Change, context: ApplyContext) async throws {
        guard change.action != .delete else { return }
        guard let spec = change.desired?.payload as? Spec else {
            throw AWSProviderError.invalid(change.resource.description, "the plan carries no image spec")
        }
        let reference = spec.reference
        let ecr = ECRClient(client: try clients.client(for: spec.region))
        let lookup: ECRImageReference = reference.digest.map { .digest($0) } ?? .tag(reference.tag ?? "latest")
        let found: [ECRImage]
        do {
            found = try await ecr.describeImages(repository: reference.repository, images: [lookup], registryID: reference.registryID)
        } catch let error as AWSError where error.is(.imageNotFound) || error.is(.repositoryNotFound) {
            throw AWSProviderError.imageMissing(change.resource, reference: reference.text, repository: reference.repository)
        }
        guard found.contains(where: { Self.matches($0, reference) }) else {
            throw AWSProviderError.imageMissing(change.resource, reference: reference.text, repository: reference.repository)
        }
        context.logger.info("Image present in ECR", metadata: ["image": "\(reference.text)"])
    }

    private struct RepositoryKey: Sendable, Hashable {
        var registryID: String
        var repository: String
    }
}
