import Foundation
import ShipshapeDocker
import ShipshapeManifest

/// A `runtime: docker` service as the manifests want it, in the provider's terms.
struct DockerServiceSpec: Sendable {
    let environment: String
    let service: Service

    var resourceID: ResourceID { ResourceID(.service, service.name) }

    /// Every field but `replicas` is baked into the containers, so changing it means new containers.
    static let fieldEffects: [String: FieldEffect] = [
        "image": .replace, "ports": .replace, "env": .replace, "command": .replace, "health": .replace,
    ]

    /// The fields plans compare; also stored, without `replicas`, in each container's spec label.
    var attributes: Attributes {
        var attributes = containerAttributes
        attributes["replicas"] = .int(service.replicas)
        return attributes
    }

    /// The attributes every replica's container is created from.
    var containerAttributes: Attributes {
        var attributes: Attributes = [
            "image": .string(service.image.description),
            "ports": .list(service.ports.map { .string(Self.describe($0)) }),
            "env": .map(service.env.mapValues { .string($0) }),
        ]
        if let command = service.command { attributes["command"] = .list(command.map { .string($0) }) }
        if let health = service.health {
            var fields: [String: AttributeValue] = ["timeout": .string(DurationSyntax.format(health.timeout))]
            if let path = health.httpPath { fields["http"] = .string(path) }
            if let port = health.port { fields["port"] = .int(port) }
            attributes["health"] = .map(fields)
        }
        return attributes
    }

    /// The spec label's value: the container attributes as canonical JSON.
    var specLabel: String { AttributeCoding.encode(containerAttributes) }

    /// A short hash of the spec label, part of container names so old and new replicas can coexist.
    var specHash: String { String(Planner.fingerprint(containerAttributes).prefix(8)) }

    static func describe(_ port: PortMapping) -> String {
        let host = port.hostIP.map { "\($0):" } ?? ""
        return "\(host)\(port.hostPort):\(port.containerPort)/\(port.protocol.rawValue)"
    }

    /// The container for replica `index`. With several replicas, replica `i` publishes on host port
    /// `hostPort + i`, so replicas never fight over a port (see docs/docker-runtime.md).
    func containerSpec(replica index: Int, revision: String) -> ContainerSpec {
        var labels = Ownership.labels(environment: environment, resource: resourceID)
        labels[DockerServiceProvider.Label.spec] = specLabel
        labels[DockerServiceProvider.Label.replica] = String(index)
        labels[DockerServiceProvider.Label.revision] = revision
        let published = service.ports.map { port in
            PublishedPort(
                containerPort: ContainerPort(port.containerPort, PortProtocol(rawValue: port.protocol.rawValue) ?? .tcp),
                hostIP: port.hostIP,
                hostPort: port.hostPort + (service.replicas > 1 ? index : 0)
            )
        }
        return ContainerSpec(
            image: service.image.description,
            cmd: service.command,
            env: ContainerSpec.environment(service.env),
            labels: labels,
            publishedPorts: published,
            restartPolicy: .unlessStopped
        )
    }

    /// `ENV-SERVICE-INDEX-HASH`.
    func containerName(replica index: Int) -> String {
        "\(environment)-\(service.name)-\(index)-\(specHash)"
    }
}
