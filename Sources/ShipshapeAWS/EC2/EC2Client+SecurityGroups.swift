import Foundation

extension EC2Client {
    /// Security groups by id and/or filters (all of them when both are empty).
    public func describeSecurityGroups(groupIDs: [String] = [], filters: [EC2Filter] = []) async throws
        -> [SecurityGroup]
    {
        try await paginate(.ec2DescribeSecurityGroups) { token in
            var parameters = QueryParameters()
            parameters.addList("GroupId", groupIDs)
            Self.addFilters(filters, to: &parameters)
            if groupIDs.isEmpty { parameters.add("MaxResults", pageSize) }
            parameters.add("NextToken", token)
            let root = try await client.query(.ec2DescribeSecurityGroups, parameters)
            return (root.list("securityGroupInfo").map(SecurityGroup.init(xml:)), root.string("nextToken"))
        }
    }

    /// The rules of the groups in `groupIDs` (one paginated call per 200 groups, the most a filter
    /// takes), or the rules matching `filters` when `groupIDs` is empty.
    public func describeSecurityGroupRules(groupIDs: [String] = [], filters: [EC2Filter] = []) async throws
        -> [SecurityGroupRule]
    {
        if groupIDs.isEmpty { return try await describeRules(filters: filters) }
        var rules: [SecurityGroupRule] = []
        for start in stride(from: 0, to: groupIDs.count, by: 200) {
            let batch = Array(groupIDs[start..<min(start + 200, groupIDs.count)])
            rules += try await describeRules(filters: filters + [EC2Filter("group-id", batch)])
        }
        return rules
    }

    private func describeRules(filters: [EC2Filter]) async throws -> [SecurityGroupRule] {
        try await paginate(.ec2DescribeSecurityGroupRules) { token in
            var parameters = QueryParameters()
            Self.addFilters(filters, to: &parameters)
            parameters.add("MaxResults", pageSize)
            parameters.add("NextToken", token)
            let root = try await client.query(.ec2DescribeSecurityGroupRules, parameters)
            return (root.list("securityGroupRuleSet").map(SecurityGroupRule.init(xml:)), root.string("nextToken"))
        }
    }

    /// Creates a security group and returns its id. `vpcID` nil means the default VPC.
    public func createSecurityGroup(
        name: String, description: String, vpcID: String? = nil, tags: [String: String] = [:]
    ) async throws -> String {
        var parameters = QueryParameters()
        parameters.add("GroupName", name)
        parameters.add("GroupDescription", description)
        parameters.add("VpcId", vpcID)
        if !tags.isEmpty {
            parameters.add("TagSpecification.1.ResourceType", "security-group")
            Self.addTags(tags, prefix: "TagSpecification.1.Tag", to: &parameters)
        }
        let root = try await client.query(.ec2CreateSecurityGroup, parameters)
        guard let id = root.string("groupId") else {
            throw AWSError(
                code: AWSError.Code.malformedResponse.rawValue, message: "CreateSecurityGroup for \(name) returned no groupId",
                service: "ec2", operation: "CreateSecurityGroup", classification: .client)
        }
        return id
    }

    /// Adds ingress rules to `groupID`; returns the rules as created (with their `sgr-` ids).
    /// A rule that exists already fails with `InvalidPermission.Duplicate`.
    @discardableResult
    public func authorizeIngress(groupID: String, rules: [SecurityGroupRuleSpec]) async throws -> [SecurityGroupRule] {
        try await authorize(.ec2AuthorizeSecurityGroupIngress, groupID: groupID, rules: rules)
    }

    /// Adds egress rules to `groupID`; returns the rules as created.
    @discardableResult
    public func authorizeEgress(groupID: String, rules: [SecurityGroupRuleSpec]) async throws -> [SecurityGroupRule] {
        try await authorize(.ec2AuthorizeSecurityGroupEgress, groupID: groupID, rules: rules)
    }

    /// Removes ingress rules of `groupID` by rule id. A missing rule fails with `InvalidPermission.NotFound`.
    public func revokeIngress(groupID: String, ruleIDs: [String]) async throws {
        try await revoke(.ec2RevokeSecurityGroupIngress, groupID: groupID, ruleIDs: ruleIDs)
    }

    /// Removes egress rules of `groupID` by rule id.
    public func revokeEgress(groupID: String, ruleIDs: [String]) async throws {
        try await revoke(.ec2RevokeSecurityGroupEgress, groupID: groupID, ruleIDs: ruleIDs)
    }

    /// Rewrites rules of `groupID` in place (same id), typically to change the description: each
    /// entry gives the rule id and the full rule it should be.
    public func modifySecurityGroupRules(groupID: String, rules: [(ruleID: String, rule: SecurityGroupRuleSpec)])
        async throws
    {
        guard !rules.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.add("GroupId", groupID)
        for (index, entry) in rules.enumerated() {
            let prefix = "SecurityGroupRule.\(index + 1)"
            parameters.add("\(prefix).SecurityGroupRuleId", entry.ruleID)
            let rule = entry.rule
            parameters.add("\(prefix).SecurityGroupRule.IpProtocol", rule.ipProtocol)
            parameters.add("\(prefix).SecurityGroupRule.FromPort", rule.fromPort)
            parameters.add("\(prefix).SecurityGroupRule.ToPort", rule.toPort)
            switch rule.peer {
            case .ipv4(let cidr): parameters.add("\(prefix).SecurityGroupRule.CidrIpv4", cidr)
            case .ipv6(let cidr): parameters.add("\(prefix).SecurityGroupRule.CidrIpv6", cidr)
            case .group(let id): parameters.add("\(prefix).SecurityGroupRule.ReferencedGroupId", id)
            case .prefixList(let id): parameters.add("\(prefix).SecurityGroupRule.PrefixListId", id)
            }
            parameters.add("\(prefix).SecurityGroupRule.Description", rule.description ?? "")
        }
        _ = try await client.query(.ec2ModifySecurityGroupRules, parameters)
    }

    private func authorize(_ action: AWSAction, groupID: String, rules: [SecurityGroupRuleSpec]) async throws
        -> [SecurityGroupRule]
    {
        guard !rules.isEmpty else { return [] }
        var parameters = QueryParameters()
        parameters.add("GroupId", groupID)
        for (index, rule) in rules.enumerated() {
            let prefix = "IpPermissions.\(index + 1)"
            parameters.add("\(prefix).IpProtocol", rule.ipProtocol)
            if rule.ipProtocol != "-1" {
                parameters.add("\(prefix).FromPort", rule.fromPort)
                parameters.add("\(prefix).ToPort", rule.toPort)
            }
            switch rule.peer {
            case .ipv4(let cidr):
                parameters.add("\(prefix).IpRanges.1.CidrIp", cidr)
                parameters.add("\(prefix).IpRanges.1.Description", rule.description)
            case .ipv6(let cidr):
                parameters.add("\(prefix).Ipv6Ranges.1.CidrIpv6", cidr)
                parameters.add("\(prefix).Ipv6Ranges.1.Description", rule.description)
            case .group(let id):
                parameters.add("\(prefix).Groups.1.GroupId", id)
                parameters.add("\(prefix).Groups.1.Description", rule.description)
            case .prefixList(let id):
                parameters.add("\(prefix).PrefixListIds.1.PrefixListId", id)
                parameters.add("\(prefix).PrefixListIds.1.Description", rule.description)
            }
        }
        let root = try await client.query(action, parameters)
        return root.list("securityGroupRuleSet").map(SecurityGroupRule.init(xml:))
    }

    private func revoke(_ action: AWSAction, groupID: String, ruleIDs: [String]) async throws {
        guard !ruleIDs.isEmpty else { return }
        var parameters = QueryParameters()
        parameters.add("GroupId", groupID)
        parameters.addList("SecurityGroupRuleId", ruleIDs)
        _ = try await client.query(action, parameters)
    }
}
