import Foundation

/// One container as `GET /containers/json` lists it: cheap, no inspect needed.
public struct ContainerSummary: Sendable, Hashable {
    /// The full container id.
    public var id: String
    /// Names without Docker's leading slash.
    public var names: [String]
    /// The image reference the container was created from, as given at creation.
    public var image: String
    /// The id (`sha256:…`) of that image.
    public var imageID: String
    /// The command line, as one string.
    public var command: String
    /// Creation time.
    public var created: Date
    /// All labels, the image's included.
    public var labels: [String: String]
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`.
    public var state: String
    /// Human status, e.g. `"Up 5 minutes (healthy)"`.
    public var status: String
    /// Published ports.
    public var publishedPorts: [PublishedPort]

    /// The first name, or the short id when the container has none.
    public var name: String { names.first ?? String(id.prefix(12)) }
    /// Whether the container's process is running.
    public var isRunning: Bool { state == "running" }

    init(wire: WireContainerSummary) {
        id = wire.id
        names = (wire.names ?? []).map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        image = wire.image ?? ""
        imageID = wire.imageID ?? ""
        command = wire.command ?? ""
        created = Date(timeIntervalSince1970: TimeInterval(wire.created ?? 0))
        labels = wire.labels ?? [:]
        state = wire.state ?? ""
        status = wire.status ?? ""
        publishedPorts = (wire.ports ?? []).compactMap { port in
            guard let privatePort = port.privatePort, port.publicPort != nil else { return nil }
            let proto = port.type.flatMap(PortProtocol.init(rawValue:)) ?? .tcp
            return PublishedPort(
                containerPort: ContainerPort(privatePort, proto), hostIP: port.ip, hostPort: port.publicPort)
        }.sorted()
    }
}
