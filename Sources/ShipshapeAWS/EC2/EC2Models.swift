import Foundation

/// An EC2 `Filter` (`Filter.N.Name`, `Filter.N.Value.M`).
public struct EC2Filter: Sendable, Hashable {
    public var name: String
    public var values: [String]
    public init(_ name: String, _ values: [String]) {
        self.name = name
        self.values = values
    }

    /// `tag:KEY` = any of `values`.
    public static func tag(_ key: String, _ values: String...) -> EC2Filter { EC2Filter("tag:\(key)", values) }
}

/// A security group as DescribeSecurityGroups reports it (rules come from `SecurityGroupRule`).
public struct SecurityGroup: Sendable, Hashable {
    public var groupID: String
    public var groupName: String
    public var description: String
    public var vpcID: String?
    public var ownerID: String?
    public var tags: [String: String]

    init(xml: XMLElementNode) {
        groupID = xml.string("groupId") ?? ""
        groupName = xml.string("groupName") ?? ""
        description = xml.string("groupDescription") ?? ""
        vpcID = xml.string("vpcId").flatMap { $0.isEmpty ? nil : $0 }
        ownerID = xml.string("ownerId")
        tags = EC2Tags.parse(xml)
    }
}

/// Where a security group rule allows traffic from (ingress) or to (egress).
public enum SecurityGroupPeer: Sendable, Hashable, CustomStringConvertible {
    case ipv4(String)
    case ipv6(String)
    case group(String)
    case prefixList(String)

    public var description: String {
        switch self {
        case .ipv4(let cidr), .ipv6(let cidr): cidr
        case .group(let id): id
        case .prefixList(let id): id
        }
    }
}

/// One security group rule, with its `sgr-…` id, as DescribeSecurityGroupRules reports it.
public struct SecurityGroupRule: Sendable, Hashable {
    public var ruleID: String
    public var groupID: String
    public var isEgress: Bool
    /// `tcp`, `udp`, `icmp`, `icmpv6` or `-1` (all).
    public var ipProtocol: String
    /// -1 when the protocol has no ports.
    public var fromPort: Int
    public var toPort: Int
    public var peer: SecurityGroupPeer?
    public var description: String?
    public var tags: [String: String]

    init(xml: XMLElementNode) {
        ruleID = xml.string("securityGroupRuleId") ?? ""
        groupID = xml.string("groupId") ?? ""
        isEgress = xml.string("isEgress") == "true"
        ipProtocol = xml.string("ipProtocol") ?? "-1"
        fromPort = xml.string("fromPort").flatMap { Int($0) } ?? -1
        toPort = xml.string("toPort").flatMap { Int($0) } ?? -1
        if let cidr = xml.string("cidrIpv4"), !cidr.isEmpty {
            peer = .ipv4(cidr)
        } else if let cidr = xml.string("cidrIpv6"), !cidr.isEmpty {
            peer = .ipv6(cidr)
        } else if let group = xml.path("referencedGroupInfo", "groupId")?.text, !group.isEmpty {
            peer = .group(group)
        } else if let prefix = xml.string("prefixListId"), !prefix.isEmpty {
            peer = .prefixList(prefix)
        } else {
            peer = nil
        }
        description = xml.string("description").flatMap { $0.isEmpty ? nil : $0 }
        tags = EC2Tags.parse(xml)
    }

    /// The rule without its id, tags and group, for comparing with a desired rule.
    public var spec: SecurityGroupRuleSpec {
        SecurityGroupRuleSpec(
            ipProtocol: ipProtocol, fromPort: fromPort, toPort: toPort, peer: peer ?? .ipv4("0.0.0.0/0"),
            description: description)
    }
}

/// A rule to authorize: protocol, port range, one peer, optional description.
public struct SecurityGroupRuleSpec: Sendable, Hashable {
    public var ipProtocol: String
    public var fromPort: Int
    public var toPort: Int
    public var peer: SecurityGroupPeer
    public var description: String?

    public init(ipProtocol: String, fromPort: Int, toPort: Int, peer: SecurityGroupPeer, description: String? = nil) {
        self.ipProtocol = ipProtocol
        self.fromPort = fromPort
        self.toPort = toPort
        self.peer = peer
        self.description = description
    }

    /// A TCP rule for one port.
    public static func tcp(_ port: Int, _ peer: SecurityGroupPeer, description: String? = nil) -> SecurityGroupRuleSpec {
        SecurityGroupRuleSpec(ipProtocol: "tcp", fromPort: port, toPort: port, peer: peer, description: description)
    }

    /// Whether two rules allow the same traffic (descriptions aside).
    public func sameTraffic(as other: SecurityGroupRuleSpec) -> Bool {
        ipProtocol == other.ipProtocol && fromPort == other.fromPort && toPort == other.toPort && peer == other.peer
    }
}

/// EC2 instance states.
public enum InstanceState: String, Sendable, Hashable {
    case pending, running, shuttingDown = "shutting-down", terminated, stopping, stopped
}

/// An EC2 instance as DescribeInstances reports it.
public struct EC2Instance: Sendable, Hashable {
    public var instanceID: String
    public var reservationID: String
    public var instanceType: String
    public var state: InstanceState?
    /// The state name as sent, for states this type does not know.
    public var stateName: String
    public var imageID: String?
    public var vpcID: String?
    public var subnetID: String?
    public var privateIPAddress: String?
    public var publicIPAddress: String?
    public var securityGroupIDs: [String]
    public var launchTime: String?
    public var tags: [String: String]

    init(xml: XMLElementNode, reservationID: String) {
        instanceID = xml.string("instanceId") ?? ""
        self.reservationID = reservationID
        instanceType = xml.string("instanceType") ?? ""
        stateName = xml.path("instanceState", "name")?.text ?? ""
        state = InstanceState(rawValue: stateName)
        imageID = xml.string("imageId")
        vpcID = xml.string("vpcId")
        subnetID = xml.string("subnetId")
        privateIPAddress = xml.string("privateIpAddress")
        publicIPAddress = xml.string("ipAddress")
        securityGroupIDs = xml.list("groupSet").compactMap { $0.string("groupId") }
        launchTime = xml.string("launchTime")
        tags = EC2Tags.parse(xml)
    }
}

/// A state transition reported by StopInstances/StartInstances.
public struct InstanceStateChange: Sendable, Hashable {
    public var instanceID: String
    public var previousState: String
    public var currentState: String
}

/// A VPC.
public struct VPC: Sendable, Hashable {
    public var vpcID: String
    public var cidrBlock: String
    public var isDefault: Bool
    public var state: String
    public var tags: [String: String]
}

enum EC2Tags {
    static func parse(_ xml: XMLElementNode) -> [String: String] {
        var tags: [String: String] = [:]
        for item in xml.list("tagSet") {
            if let key = item.string("key") { tags[key] = item.string("value") ?? "" }
        }
        return tags
    }
}
