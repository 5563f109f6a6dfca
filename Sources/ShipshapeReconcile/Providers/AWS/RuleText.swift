/// The text form of security group rules in plans: `tcp/443 10.0.0.0/16 "from the LB"`,
/// `all sg:api`, `icmp 10.20.0.0/16`. Desired and observed rules render alike, so equal rules
/// compare equal.
enum RuleText {
    static func traffic(_ rule: SecurityGroupSpec.Rule) -> String {
        let ports: String
        switch rule.ipProtocol {
        case "-1": ports = "all"
        case "tcp", "udp":
            ports = rule.fromPort == rule.toPort ? "\(rule.ipProtocol)/\(rule.fromPort)" : "\(rule.ipProtocol)/\(rule.fromPort)-\(rule.toPort)"
        case "icmp", "icmpv6":
            ports = rule.fromPort == -1 ? rule.ipProtocol : "\(rule.ipProtocol)/\(rule.fromPort)-\(rule.toPort)"
        default: ports = "proto-\(rule.ipProtocol)"
        }
        let peer: String
        switch rule.peer {
        case .ipv4(let cidr), .ipv6(let cidr): peer = cidr
        case .group(let name): peer = "sg:\(name)"
        case .groupID(let id): peer = id
        case .prefixList(let id): peer = id
        }
        return "\(ports) \(peer)"
    }

    static func text(_ rule: SecurityGroupSpec.Rule) -> String {
        let traffic = traffic(rule)
        guard let description = rule.description else { return traffic }
        return "\(traffic) \"\(description)\""
    }

    static func list(_ rules: [SecurityGroupSpec.Rule]) -> AttributeValue {
        .list(Set(rules.map(text)).sorted().map { .string($0) })
    }

    /// The ingress rules that reach a protected port, each with a note naming the port.
    static func protected(_ rules: [SecurityGroupSpec.Rule], ports: Set<Int>) -> AttributeValue {
        let entries = rules.compactMap { rule -> String? in
            let hit = ports.sorted().filter { rule.covers($0) }
            guard !hit.isEmpty else { return nil }
            let names = hit.map(String.init).joined(separator: ",")
            return "\(traffic(rule)) (keeps the controller's port \(names) reachable)"
        }
        return .list(Set(entries).sorted().map { .string($0) })
    }
}
