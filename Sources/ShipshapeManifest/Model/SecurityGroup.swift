/// An EC2 security group and its rules. Listed rules are the complete set: rules found in AWS and
/// not listed are drift.
public struct SecurityGroup: Sendable, Hashable {
    /// The key under `securityGroups:`; the group's name in AWS is `<environment>-<name>`.
    public var name: String
    /// VPC id (`vpc-…`).
    public var vpc: String
    /// Group description (AWS cannot change it after creation).
    public var description: String
    /// Inbound rules.
    public var ingress: [SecurityGroupRule]
    /// Outbound rules; nil keeps AWS's default allow-all egress untouched.
    public var egress: [SecurityGroupRule]?
    /// Extra tags.
    public var tags: [String: String]
    /// When set, an existing group is adopted (by id) instead of created.
    public var adopt: Adoption?

    /// Creates a security group.
    public init(
        name: String,
        vpc: String,
        description: String,
        ingress: [SecurityGroupRule] = [],
        egress: [SecurityGroupRule]? = nil,
        tags: [String: String] = [:],
        adopt: Adoption? = nil
    ) {
        self.name = name
        self.vpc = vpc
        self.description = description
        self.ingress = ingress
        self.egress = egress
        self.tags = tags
        self.adopt = adopt
    }
}
