import ShipshapeAWS
import ShipshapeManifest

/// A security group as the manifests want it, with rules in AWS terms. The desired payload of
/// `security-group/NAME`.
struct SecurityGroupSpec: Sendable {
    /// One rule: protocol, ports and peer as AWS spells them; peers that are groups by manifest name.
    struct Rule: Sendable, Hashable {
        enum Peer: Sendable, Hashable {
            case ipv4(String)
            case ipv6(String)
            /// A group of the same environment, by its manifest name.
            case group(String)
            /// A group outside the environment's manifests, by id (only seen in live rules).
            case groupID(String)
            case prefixList(String)
        }

        /// `tcp`, `udp`, `icmp` or `-1`.
        var ipProtocol: String
        var fromPort: Int
        var toPort: Int
        var peer: Peer
        var description: String?

        /// The same traffic (description aside).
        var trafficKey: String { RuleText.traffic(self) }

        /// Whether the rule lets traffic reach `port`.
        func covers(_ port: Int) -> Bool {
            switch ipProtocol {
            case "-1": true
            case "tcp", "udp": fromPort <= port && port <= toPort
            default: false
            }
        }
    }

    var id: ResourceID
    var environment: String
    var region: String
    /// The group's name in AWS: `ENV-NAME`.
    var awsName: String
    var vpc: String
    var groupDescription: String
    var ingress: [Rule]
    /// Nil leaves the group's egress rules alone.
    var egress: [Rule]?
    /// Tags that must be present (the manifest's, plus the ownership tags unless adopted).
    var tags: [String: String]
    var locator: EC2Locator
    /// How the groups this one refers to are found, by manifest name.
    var peerLocators: [String: EC2Locator]
    var protectedPorts: Set<Int>

    init(environment: Environment, group: ShipshapeManifest.SecurityGroup, region: String, protectedPorts: Set<Int>) {
        id = ResourceID(.securityGroup, group.name)
        self.environment = environment.name
        self.region = region
        awsName = "\(environment.name)-\(group.name)"
        vpc = group.vpc
        groupDescription = group.description
        ingress = group.ingress.map(Self.rule)
        egress = group.egress.map { $0.map(Self.rule) }
        locator = EC2Locator(group.adopt)
        var tags = group.tags
        if !locator.isAdopted {
            tags.merge(Ownership.labels(environment: environment.name, resource: id)) { _, owned in owned }
        }
        self.tags = tags
        peerLocators = environment.spec.securityGroups.mapValues { EC2Locator($0.adopt) }
        self.protectedPorts = protectedPorts
    }

    static func rule(_ rule: ShipshapeManifest.SecurityGroupRule) -> Rule {
        let ipProtocol: String
        switch rule.protocol {
        case .tcp: ipProtocol = "tcp"
        case .udp: ipProtocol = "udp"
        case .icmp: ipProtocol = "icmp"
        case .all: ipProtocol = "-1"
        }
        let peer: Rule.Peer
        switch rule.peer {
        case .cidr(let cidr): peer = .ipv4(cidr)
        case .cidrIPv6(let cidr): peer = .ipv6(cidr.lowercased())
        case .group(let name): peer = .group(name)
        }
        let ports = (ipProtocol == "tcp" || ipProtocol == "udp") ? rule.ports : nil
        return Rule(
            ipProtocol: ipProtocol, fromPort: ports?.lowerBound ?? -1, toPort: ports?.upperBound ?? -1, peer: peer,
            description: rule.description.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The groups this one refers to (itself excluded): applied first.
    var referencedGroups: [String] {
        let names = (ingress + (egress ?? [])).compactMap { rule -> String? in
            if case .group(let name) = rule.peer, name != id.name { return name }
            return nil
        }
        return Array(Set(names)).sorted()
    }

    var attributes: Attributes {
        var attributes: Attributes = [
            "ingress": RuleText.list(ingress),
            "tags": .map(tags.mapValues { .string($0) }),
        ]
        if let egress { attributes["egress"] = RuleText.list(egress) }
        if !protectedPorts.isEmpty {
            attributes[SecurityGroupProvider.protectedField] = RuleText.protected(ingress, ports: protectedPorts)
        }
        return attributes
    }
}
