/// A transport protocol of a container port.
public enum PortProtocol: String, Sendable, Hashable, Codable, CaseIterable {
    case tcp
    case udp
    case sctp
}

/// A port inside a container, written by Docker as `"8080/tcp"`.
public struct ContainerPort: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The port number inside the container.
    public var port: Int
    /// The transport protocol (TCP unless said otherwise).
    public var `protocol`: PortProtocol

    public init(_ port: Int, _ protocol: PortProtocol = .tcp) {
        self.port = port
        self.protocol = `protocol`
    }

    /// Parses Docker's `"8080/tcp"` form (a bare `"8080"` means TCP); nil when malformed.
    public init?(dockerKey: String) {
        let parts = dockerKey.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let port = Int(first), (0...65535).contains(port) else { return nil }
        let proto = parts.count == 2 ? PortProtocol(rawValue: String(parts[1])) : .tcp
        guard let proto else { return nil }
        self.init(port, proto)
    }

    /// Docker's key for this port: `"8080/tcp"`.
    public var description: String { "\(port)/\(`protocol`.rawValue)" }

    public static func < (lhs: ContainerPort, rhs: ContainerPort) -> Bool {
        (lhs.port, lhs.protocol.rawValue) < (rhs.port, rhs.protocol.rawValue)
    }
}

/// A container port published on the host.
public struct PublishedPort: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The port inside the container.
    public var containerPort: ContainerPort
    /// The host address to bind, e.g. `"127.0.0.1"`; nil binds every address.
    public var hostIP: String?
    /// The host port; nil lets the daemon choose a free one.
    public var hostPort: Int?

    public init(containerPort: ContainerPort, hostIP: String? = nil, hostPort: Int? = nil) {
        self.containerPort = containerPort
        self.hostIP = hostIP
        self.hostPort = hostPort
    }

    /// `hostIP:hostPort->port/proto`, as `docker ps` shows it.
    public var description: String {
        "\(hostIP ?? "*"):\(hostPort.map(String.init) ?? "*")->\(containerPort)"
    }

    public static func < (lhs: PublishedPort, rhs: PublishedPort) -> Bool {
        (lhs.containerPort.port, lhs.containerPort.protocol.rawValue, lhs.hostIP ?? "", lhs.hostPort ?? -1)
            < (rhs.containerPort.port, rhs.containerPort.protocol.rawValue, rhs.hostIP ?? "", rhs.hostPort ?? -1)
    }
}
