/// A published container port: `"127.0.0.1:18080:8080"`, `"8080:8080"`, `"8080"`, `"53:53/udp"`,
/// `"[::1]:8443:443"`.
public struct PortMapping: Sendable, Hashable, CustomStringConvertible {
    /// Transport protocol of a published port.
    public enum TransportProtocol: String, Sendable, Hashable, CaseIterable {
        /// TCP.
        case tcp
        /// UDP.
        case udp
    }

    /// Host address to bind; nil binds every address.
    public var hostIP: String?
    /// Port on the host, 1–65535. `"8080"` alone publishes 8080 on 8080.
    public var hostPort: Int
    /// Port inside the container, 1–65535.
    public var containerPort: Int
    /// `tcp` (default) or `udp`.
    public var `protocol`: TransportProtocol

    /// Creates a port mapping.
    public init(hostIP: String? = nil, hostPort: Int, containerPort: Int, protocol: TransportProtocol = .tcp) {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.protocol = `protocol`
    }

    /// The canonical manifest spelling, `[hostIP:]hostPort:containerPort[/udp]`.
    public var description: String {
        var text = ""
        if let hostIP {
            text += hostIP.contains(":") ? "[\(hostIP)]:" : "\(hostIP):"
        }
        text += "\(hostPort):\(containerPort)"
        if `protocol` == .udp { text += "/udp" }
        return text
    }
}
