/// An EC2 instance.
public struct Instance: Sendable, Hashable {
    /// The key under `instances:`.
    public var name: String
    /// Instance type, `family.size` (`t3.small`, `m6g.2xlarge`).
    public var type: String
    /// AMI id (`ami-` + 8 or 17 hex digits).
    public var ami: String
    /// Subnet id (`subnet-…`).
    public var subnet: String
    /// Security groups, by their names under `securityGroups:` of the same environment.
    public var securityGroups: [String]
    /// Extra tags (the `shipshape.io/*` ownership tags are added by the controller).
    public var tags: [String: String]
    /// When set, an existing instance is adopted instead of a new one being launched.
    public var adopt: Adoption?

    /// Creates an instance.
    public init(
        name: String,
        type: String,
        ami: String,
        subnet: String,
        securityGroups: [String] = [],
        tags: [String: String] = [:],
        adopt: Adoption? = nil
    ) {
        self.name = name
        self.type = type
        self.ami = ami
        self.subnet = subnet
        self.securityGroups = securityGroups
        self.tags = tags
        self.adopt = adopt
    }
}
