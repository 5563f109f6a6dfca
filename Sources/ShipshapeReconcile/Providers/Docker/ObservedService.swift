import ShipshapeDocker

/// The containers of one Docker service as observed, and the attributes they add up to.
struct ObservedService: Sendable {
    let id: ResourceID
    let containers: [ContainerSummary]

    /// The spec most running containers were created from, with `replicas` = how many running
    /// containers carry it. A half-finished rollout therefore shows as too few replicas of one spec,
    /// and the next apply finishes it.
    var attributes: Attributes {
        let running = containers.filter(\.isRunning)
        var counts: [String: Int] = [:]
        for container in running {
            counts[container.labels[DockerServiceProvider.Label.spec] ?? "", default: 0] += 1
        }
        guard let (label, count) = counts.max(by: { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }),
            var attributes = AttributeCoding.decode(label)
        else {
            // Nothing running (or no readable spec): only the replica count is known.
            return ["replicas": .int(0)]
        }
        // What the daemon runs wins over what the label claims.
        if let image = running.first(where: { $0.labels[DockerServiceProvider.Label.spec] == label })?.image {
            attributes["image"] = .string(image)
        }
        attributes["replicas"] = .int(count)
        return attributes
    }

    func replicaIndex(_ container: ContainerSummary) -> Int? {
        container.labels[DockerServiceProvider.Label.replica].flatMap(Int.init)
    }
}
