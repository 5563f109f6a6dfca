/// One security group rule.
public struct SecurityGroupRule: Sendable, Hashable {
    /// IP protocol of a rule.
    public enum IPProtocol: String, Sendable, Hashable, CaseIterable {
        /// TCP, with a port range.
        case tcp
        /// UDP, with a port range.
        case udp
        /// ICMP, every type.
        case icmp
        /// Every protocol and port.
        case all
    }

    /// The other side of a rule.
    public enum Peer: Sendable, Hashable {
        /// An IPv4 CIDR block (`10.0.0.0/16`).
        case cidr(String)
        /// An IPv6 CIDR block (`2001:db8::/32`).
        case cidrIPv6(String)
        /// Another security group of the same environment, by its manifest name.
        case group(String)
    }

    /// Protocol.
    public var `protocol`: IPProtocol
    /// Port range for tcp and udp (`443` or `"8000-8100"`); nil for icmp and all.
    public var ports: ClosedRange<Int>?
    /// Who may connect (ingress) or be reached (egress).
    public var peer: Peer
    /// Rule description.
    public var description: String?

    /// Creates a rule.
    public init(protocol: IPProtocol, ports: ClosedRange<Int>?, peer: Peer, description: String? = nil) {
        self.protocol = `protocol`
        self.ports = ports
        self.peer = peer
        self.description = description
    }
}
