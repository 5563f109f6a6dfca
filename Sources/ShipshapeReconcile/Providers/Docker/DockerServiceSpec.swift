import Foundation
import ShipshapeDocker
import ShipshapeManifest

/// A `runtime: docker` service as the manifests want it, in the provider's terms.
struct DockerServiceSpec: Sendable {
    let environment: String
    let service: Service

    var resourceID: ResourceID { ResourceID(.service, service.name) }

    /// Every container field is baked into the containers, so changing one means new containers;
    /// `replicas` and `retired` change only how many containers run.
    static let fieldEffects: [String: FieldEffect] = [
        "image": .replace, "command": .replace, "env": .replace, "secrets": .replace, "ports": .replace,
        "volumes": .replace, "restart": .replace, "resources": .replace, "logging": .replace, "network": .replace,
        "health": .replace,
    ]

    /// The fields plans compare; the container attributes are also stored in each container's spec
    /// label. `retired` is the number of containers of earlier versions whose keep time is over (or
    /// that stopped): always 0 in the desired state.
    var attributes: Attributes {
        var attributes = containerAttributes
        attributes["replicas"] = .int(service.replicas)
        attributes["retired"] = .int(0)
        return attributes
    }

    /// The attributes every replica's container is created from. Secrets appear as their
    /// references (`ssm:/prod/db/password`), never as values.
    var containerAttributes: Attributes {
        var attributes: Attributes = [
            "image": .string(service.image.description),
            "ports": .list(service.ports.map { .string(Self.describe($0)) }),
            "env": .map(service.env.mapValues { .string($0) }),
            "restart": .string(Self.describe(service.restart ?? .unlessStopped)),
        ]
        if !service.secrets.isEmpty {
            attributes["secrets"] = .map(service.secrets.mapValues { .string($0.description) })
        }
        if let command = service.command { attributes["command"] = .list(command.map { .string($0) }) }
        if !service.volumes.isEmpty {
            attributes["volumes"] = .list(service.volumes.map { .string($0.description) })
        }
        if let limits = service.resources, limits.memoryBytes != nil || limits.cpus != nil {
            var fields: [String: AttributeValue] = [:]
            if let memory = limits.memoryBytes { fields["memory"] = .int(memory) }
            if let cpus = limits.cpus { fields["cpus"] = .string(Self.describe(cpus: cpus)) }
            attributes["resources"] = .map(fields)
        }
        if let logging = service.logging {
            attributes["logging"] = .map([
                "driver": .string(logging.driver), "options": .map(logging.options.mapValues { .string($0) }),
            ])
        }
        if let network = service.networkMode { attributes["network"] = .string(network.description) }
        if let health = service.health {
            var fields: [String: AttributeValue] = [
                "timeout": .string(DurationSyntax.format(health.timeout)),
                "interval": .string(DurationSyntax.format(health.interval)),
                "retries": .int(health.retries),
            ]
            if let path = health.httpPath { fields["http"] = .string(path) }
            if let port = health.port { fields["port"] = .int(port) }
            if let command = health.command { fields["command"] = .list(command.map { .string($0) }) }
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

    static func describe(_ restart: ShipshapeManifest.RestartPolicy) -> String {
        if case .onFailure(let retries) = restart { return retries.map { "onFailure:\($0)" } ?? "onFailure" }
        return restart.name
    }

    /// CPUs as the shortest decimal (`0.5`, `2`), so equal limits compare equal.
    static func describe(cpus: Double) -> String {
        let nano = nanoCPUs(cpus)
        return nano % 1_000_000_000 == 0 ? String(nano / 1_000_000_000) : String(Double(nano) / 1e9)
    }

    static func nanoCPUs(_ cpus: Double) -> Int { Int((cpus * 1e9).rounded()) }

    static func dockerRestartPolicy(_ restart: ShipshapeManifest.RestartPolicy?) -> ShipshapeDocker.RestartPolicy {
        switch restart ?? .unlessStopped {
        case .never: .no
        case .always: .always
        case .unlessStopped: .unlessStopped
        case .onFailure(let retries): .onFailure(maxRetries: retries ?? 0)
        }
    }

    /// The host port of replica `index` in `slot` for a port published on `hostPort`.
    ///
    /// Slot 0 publishes replica `i` on `hostPort + i` (just `hostPort` with one replica); slot 1,
    /// the blue/green alternate, adds `slotOffset` (see docs/docker-runtime.md).
    func hostPort(_ hostPort: Int, replica index: Int, slot: Int, slotOffset: Int) -> Int {
        hostPort + (service.replicas > 1 ? index : 0) + slot * slotOffset
    }

    /// The container for replica `index` in `slot`. `secretValues` are the resolved secrets by
    /// variable name: they go into the container's environment and nowhere else.
    func containerSpec(
        replica index: Int, slot: Int, slotOffset: Int, revision: String, secretValues: [String: String],
        extraLabels: [String: String] = [:]
    ) -> ContainerSpec {
        var labels = Ownership.labels(environment: environment, resource: resourceID)
        labels.merge(extraLabels) { _, new in new }
        labels[DockerServiceProvider.Label.spec] = specLabel
        labels[DockerServiceProvider.Label.replica] = String(index)
        labels[DockerServiceProvider.Label.slot] = String(slot)
        labels[DockerServiceProvider.Label.revision] = revision
        let hostNetwork = service.networkMode == .host || service.networkMode == ShipshapeManifest.NetworkMode.none
        let published =
            hostNetwork
            ? []
            : service.ports.map { port in
                PublishedPort(
                    containerPort: ContainerPort(port.containerPort, PortProtocol(rawValue: port.protocol.rawValue) ?? .tcp),
                    hostIP: port.hostIP,
                    hostPort: hostPort(port.hostPort, replica: index, slot: slot, slotOffset: slotOffset)
                )
            }
        let volumes = service.volumes.map { mount in
            let source =
                switch mount.source {
                case .named(let name): name
                case .hostPath(let path): path
                }
            return VolumeBind(source: source, target: mount.target, readOnly: mount.readOnly)
        }
        let healthcheck = service.health?.command.map { command in
            Healthcheck(test: ["CMD"] + command, interval: service.health?.interval, retries: service.health?.retries)
        }
        return ContainerSpec(
            image: service.image.description,
            cmd: service.command,
            env: ContainerSpec.environment(service.env.merging(secretValues) { _, secret in secret }),
            labels: labels,
            publishedPorts: published,
            volumes: volumes,
            restartPolicy: Self.dockerRestartPolicy(service.restart),
            memoryBytes: service.resources?.memoryBytes,
            nanoCPUs: service.resources?.cpus.map(Self.nanoCPUs),
            logging: service.logging.map { LogConfig(driver: $0.driver, options: $0.options) },
            networkMode: service.networkMode?.description,
            healthcheck: healthcheck
        )
    }

    /// `ENV-SERVICE-INDEX-HASH` in slot 0, `ENV-SERVICE-INDEX-HASH-b` in the blue/green alternate slot.
    func containerName(replica index: Int, slot: Int) -> String {
        "\(environment)-\(service.name)-\(index)-\(specHash)" + (slot == 0 ? "" : "-b")
    }
}
