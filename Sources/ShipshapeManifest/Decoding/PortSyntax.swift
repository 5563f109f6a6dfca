/// Parsing of published ports: `"127.0.0.1:18080:8080"`, `"8080:8080"`, `"8080"`, `"53:53/udp"`,
/// `"[::1]:8443:443"`.
enum PortSyntax {
    struct Problem: Error {
        var reason: String
        var hint: String?
    }

    static func parse(_ text: String) -> Result<PortMapping, Problem> {
        var rest = Substring(text)
        var transport = PortMapping.TransportProtocol.tcp
        if let slash = rest.lastIndex(of: "/") {
            let name = String(rest[rest.index(after: slash)...])
            guard let value = PortMapping.TransportProtocol(rawValue: name) else {
                return .failure(Problem(reason: "protocol '\(name)' must be tcp or udp", hint: nil))
            }
            transport = value
            rest = rest[..<slash]
        }
        var hostIP: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                return .failure(Problem(reason: "the IPv6 address has no closing ']'", hint: "write [::1]:8443:443"))
            }
            let address = String(rest[rest.index(after: rest.startIndex)..<close])
            guard IPAddress.isIPv6(address) else {
                return .failure(Problem(reason: "'\(address)' is not an IPv6 address", hint: nil))
            }
            hostIP = address
            rest = rest[rest.index(after: close)...]
            guard rest.hasPrefix(":") else {
                return .failure(Problem(reason: "expected ':hostPort:containerPort' after the address", hint: "write [::1]:8443:443"))
            }
            rest = rest.dropFirst()
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                return .failure(Problem(reason: "expected hostPort:containerPort after the address", hint: "write [::1]:8443:443"))
            }
            return ports(host: parts[0], container: parts[1]).map {
                PortMapping(hostIP: hostIP, hostPort: $0.0, containerPort: $0.1, protocol: transport)
            }
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return ports(host: parts[0], container: parts[0]).map {
                PortMapping(hostPort: $0.0, containerPort: $0.1, protocol: transport)
            }
        case 2:
            if IPAddress.isIPv4(String(parts[0])) {
                return .failure(
                    Problem(
                        reason: "it gives an address and a single port",
                        hint: "write address:hostPort:containerPort, such as \(parts[0]):\(parts[1]):\(parts[1])"
                    )
                )
            }
            return ports(host: parts[0], container: parts[1]).map {
                PortMapping(hostPort: $0.0, containerPort: $0.1, protocol: transport)
            }
        case 3:
            let address = String(parts[0])
            guard IPAddress.isIPv4(address) else {
                return .failure(
                    Problem(reason: "'\(address)' is not an IPv4 address", hint: "write an address such as 127.0.0.1, or [::1] for IPv6")
                )
            }
            hostIP = address
            return ports(host: parts[1], container: parts[2]).map {
                PortMapping(hostIP: hostIP, hostPort: $0.0, containerPort: $0.1, protocol: transport)
            }
        default:
            return .failure(
                Problem(reason: "expected [hostIP:]hostPort:containerPort", hint: "IPv6 host addresses go in brackets: [::1]:8443:443")
            )
        }
    }

    private static func ports(host: Substring, container: Substring) -> Result<(Int, Int), Problem> {
        guard let hostPort = port(host) else {
            return .failure(Problem(reason: "host port '\(host)' must be a number from 1 to 65535", hint: nil))
        }
        guard let containerPort = port(container) else {
            return .failure(Problem(reason: "container port '\(container)' must be a number from 1 to 65535", hint: nil))
        }
        return .success((hostPort, containerPort))
    }

    static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy(\.isASCIIDigit), let value = Int(text),
            (1...65535).contains(value)
        else { return nil }
        return value
    }
}
