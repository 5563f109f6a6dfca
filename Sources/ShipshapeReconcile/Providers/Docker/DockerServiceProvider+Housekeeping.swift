import Logging
import ShipshapeDocker
import ShipshapeManifest

extension DockerServiceProvider {
    /// After a successful rollout: keeps the running image and the `keepPreviousImages` newest other
    /// images of the service's repository, and untags the older ones of that repository.
    ///
    /// Only tags of repositories a Shipshape service runs are touched, never by force: an image a
    /// container still uses (Shipshape's or anyone's) stays. Failures are logged, not thrown: a
    /// rollout that converged is not failed by housekeeping.
    func pruneImages(of spec: DockerServiceSpec, logger: Logger) async {
        let repository = spec.service.image.name
        do {
            let current = try await client.inspectImage(spec.service.image.description)?.id
            let images = try await client.listImages(reference: repository)
                .filter { $0.id != current }
                .sorted { $0.created == $1.created ? $0.id < $1.id : $0.created > $1.created }
            for image in images.dropFirst(max(0, options.keepPreviousImages)) {
                for tag in image.repoTags where tag.hasPrefix(repository + ":") {
                    do {
                        try await client.removeImage(tag)
                        logger.info("Removed old image", metadata: ["image": "\(tag)"])
                    } catch let error as DockerError where error.code == .conflict {
                        logger.debug("Old image still in use, kept", metadata: ["image": "\(tag)"])
                    }
                }
            }
        } catch {
            logger.warning("Image housekeeping failed", metadata: ["repository": "\(repository)", "error": "\(error)"])
        }
    }
}
