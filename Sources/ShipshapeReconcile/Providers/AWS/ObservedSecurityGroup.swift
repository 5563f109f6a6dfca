import ShipshapeAWS

/// A security group and its rules as observed; the live payload of `security-group/NAME`.
struct ObservedSecurityGroup: Sendable {
    var group: ShipshapeAWS.SecurityGroup
    /// Each AWS rule with its id, and the same rule in the desired form (peer groups by name).
    var rules: [(rule: ShipshapeAWS.SecurityGroupRule, spec: SecurityGroupSpec.Rule)]

    init(group: ShipshapeAWS.SecurityGroup, rules: [ShipshapeAWS.SecurityGroupRule], groupNames: [String: String]) {
        self.group = group
        self.rules = rules.map { ($0, Self.spec($0, groupNames: groupNames)) }
    }

    static func spec(_ rule: ShipshapeAWS.SecurityGroupRule, groupNames: [String: String]) -> SecurityGroupSpec.Rule {
        let peer: SecurityGroupSpec.Rule.Peer
        switch rule.peer {
        case .ipv4(let cidr): peer = .ipv4(cidr)
        case .ipv6(let cidr): peer = .ipv6(cidr.lowercased())
        case .group(let id): peer = groupNames[id].map { .group($0) } ?? .groupID(id)
        case .prefixList(let id): peer = .prefixList(id)
        case nil: peer = .ipv4("0.0.0.0/0")
        }
        let ports = rule.ipProtocol == "-1"
        return SecurityGroupSpec.Rule(
            ipProtocol: rule.ipProtocol, fromPort: ports ? -1 : rule.fromPort, toPort: ports ? -1 : rule.toPort, peer: peer,
            description: rule.description)
    }

    var ingress: [(rule: ShipshapeAWS.SecurityGroupRule, spec: SecurityGroupSpec.Rule)] { rules.filter { !$0.rule.isEgress } }
    var egress: [(rule: ShipshapeAWS.SecurityGroupRule, spec: SecurityGroupSpec.Rule)] { rules.filter { $0.rule.isEgress } }

    func attributes(protectedPorts: Set<Int>) -> Attributes {
        var attributes: Attributes = [
            "ingress": RuleText.list(ingress.map(\.spec)),
            "egress": RuleText.list(egress.map(\.spec)),
            "tags": .map(group.tags.mapValues { .string($0) }),
            "group-id": .string(group.groupID),
            "vpc": .string(group.vpcID ?? ""),
        ]
        if !protectedPorts.isEmpty {
            attributes[SecurityGroupProvider.protectedField] = RuleText.protected(ingress.map(\.spec), ports: protectedPorts)
        }
        return attributes
    }
}
