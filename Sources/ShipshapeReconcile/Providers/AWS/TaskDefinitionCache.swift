import ShipshapeAWS
import Synchronization

/// Task definitions by ARN. A task definition revision never changes, so once read it is kept:
/// observing services needs DescribeTaskDefinition only for revisions it has not seen before.
final class TaskDefinitionCache: Sendable {
    private let entries = Mutex<[String: ECSTaskDefinition]>([:])
    private let limit: Int

    init(limit: Int = 4096) { self.limit = limit }

    /// The task definition for `reference` (ARN or `family:revision`), read once.
    func definition(_ reference: String, ecs: ECSClient) async throws -> ECSTaskDefinition {
        if let cached = entries.withLock({ $0[reference] }) { return cached }
        let definition = try await ecs.describeTaskDefinition(reference)
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll() }
            entries[reference] = definition
            if let arn = definition.arn { entries[arn] = definition }
        }
        return definition
    }

    /// The image of the container named `container`, or of the only container.
    static func image(of definition: ECSTaskDefinition, container: String) -> (name: String, image: String)? {
        let containers = definition.containerImages
        if let named = containers.first(where: { $0.name == container }) { return named }
        return containers.count == 1 ? containers[0] : nil
    }
}
