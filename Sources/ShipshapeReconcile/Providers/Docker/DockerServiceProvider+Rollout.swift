import Logging
import ShipshapeDocker
import ShipshapeManifest

extension DockerServiceProvider {
    /// Brings the service's containers to `spec`, one replica at a time (at most one replica
    /// unavailable): the image is pulled first, so a missing image fails before anything stops; each
    /// new container must be healthy before the next replica is replaced, and one that is not is
    /// removed and the old container started again (automatic rollback).
    func converge(_ spec: DockerServiceSpec, observed: ObservedService?, context: ApplyContext) async throws {
        let logger = context.logger
        let image = spec.service.image.description
        if try await client.inspectImage(image) == nil {
            logger.info("Pulling image", metadata: ["image": "\(image)"])
            do {
                try await client.pullImage(image, auth: nil)
            } catch let error as DockerError
                where [.notFound, .pullFailed, .unauthorized].contains(error.code)
            {
                throw DockerProviderError("\(spec.resourceID): image \(image) cannot be pulled: \(error); nothing was stopped")
            }
        }
        let containers = observed?.containers ?? []
        let wanted = spec.specLabel
        var keep = Set<String>()
        for index in 0..<spec.service.replicas {
            let replicas = containers.filter { observed?.replicaIndex($0) == index }
            if let current = replicas.first(where: { $0.isRunning && $0.labels[Label.spec] == wanted }) {
                keep.insert(current.id)
                continue
            }
            let old = replicas.first(where: \.isRunning)
            let new = try await replace(old: old, spec: spec, replica: index, context: context)
            keep.insert(new)
        }
        // Replicas beyond the count, stopped leftovers and old containers of replaced replicas.
        try await remove(containers.filter { !keep.contains($0.id) }, logger: logger)
    }

    /// Replaces `old` (if any) by a new container for replica `index`; returns the new container's id.
    private func replace(
        old: ContainerSummary?, spec: DockerServiceSpec, replica index: Int, context: ApplyContext
    ) async throws -> String {
        let logger = context.logger
        let containerSpec = spec.containerSpec(replica: index, revision: context.revision)
        let name = spec.containerName(replica: index)
        // A leftover with this exact name is ours, from an attempt cut short: start clean.
        try await client.removeContainer(name, force: true)
        let id = try await client.createContainer(name: name, spec: containerSpec)
        if let old {
            logger.info("Stopping old replica", metadata: ["container": "\(old.name)", "replica": "\(index)"])
            try await client.stopContainer(old.id, timeout: .seconds(10))
        }
        do {
            try await client.startContainer(id)
            try await probe.waitHealthy(id: id, spec: containerSpec, health: spec.service.health, client: client)
        } catch {
            logger.error(
                "New replica unhealthy, rolling back",
                metadata: ["container": "\(name)", "replica": "\(index)", "error": "\(error)"])
            try? await client.removeContainer(id, force: true)
            if let old {
                try? await client.startContainer(old.id)
                throw DockerProviderError(
                    "\(spec.resourceID) replica \(index): \(name) (\(spec.service.image)) failed: \(error); rolled back to \(old.image)"
                )
            }
            throw DockerProviderError("\(spec.resourceID) replica \(index): \(name) (\(spec.service.image)) failed: \(error)")
        }
        logger.info("Replica healthy", metadata: ["container": "\(name)", "replica": "\(index)"])
        if let old { try await client.removeContainer(old.id, force: true) }
        return id
    }

    /// Stops and removes containers (already-gone ones are fine).
    func remove(_ containers: [ContainerSummary], logger: Logger) async throws {
        for container in containers {
            logger.info("Removing container", metadata: ["container": "\(container.name)"])
            try await client.removeContainer(container.id, force: true)
        }
    }
}
