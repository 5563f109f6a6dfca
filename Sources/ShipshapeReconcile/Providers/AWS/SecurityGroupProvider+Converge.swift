import Logging
import ShipshapeAWS

extension SecurityGroupProvider {
    /// Makes the group exist, then its rules and tags match `spec`. Every step checks before it acts
    /// and tolerates the step having happened already (a rule authorized twice, a rule revoked twice),
    /// so a retry after a crash is safe.
    func converge(_ spec: SecurityGroupSpec, observed: ObservedSecurityGroup?, logger: Logger) async throws {
        let ec2 = EC2Client(client: try clients.client(for: spec.region))
        let group: ShipshapeAWS.SecurityGroup
        let currentRules: [ShipshapeAWS.SecurityGroupRule]
        if let observed {
            group = observed.group
            currentRules = observed.rules.map(\.rule)
        } else {
            group = try await findOrCreate(spec, ec2: ec2, logger: logger)
            currentRules = try await ec2.describeSecurityGroupRules(groupIDs: [group.groupID])
        }
        var peers = try await resolvePeers(spec, ec2: ec2)
        peers[spec.id.name] = group.groupID
        let names = Dictionary(peers.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })

        try await convergeRules(
            spec.ingress, current: currentRules.filter { !$0.isEgress }, egress: false, groupID: group.groupID,
            peers: peers, names: names, spec: spec, ec2: ec2, logger: logger)
        if let egress = spec.egress {
            try await convergeRules(
                egress, current: currentRules.filter(\.isEgress), egress: true, groupID: group.groupID,
                peers: peers, names: names, spec: spec, ec2: ec2, logger: logger)
        }
        let missingTags = spec.tags.filter { group.tags[$0.key] != $0.value }
        if !missingTags.isEmpty {
            try await ec2.createTags(resourceIDs: [group.groupID], tags: missingTags)
            logger.info("Tagged security group", metadata: ["group": "\(group.groupID)", "keys": "\(missingTags.keys.sorted())"])
        }
    }

    /// The adopted group, the group created by an earlier attempt, or a new group.
    private func findOrCreate(_ spec: SecurityGroupSpec, ec2: EC2Client, logger: Logger) async throws
        -> ShipshapeAWS.SecurityGroup
    {
        switch spec.locator {
        case .id(let id):
            guard let group = try await ec2.describeSecurityGroups(filters: [EC2Filter("group-id", [id])]).first else {
                throw AWSProviderError.notFound(
                    spec.id, "adopt names security group \(id), which does not exist in \(spec.region); fix the id in the manifest")
            }
            return group
        case .tag(let key, let value):
            let groups = try await ec2.describeSecurityGroups(filters: [.tag(key, value)])
            guard groups.count <= 1 else {
                throw AWSProviderError.ambiguous(spec.id, tag: "\(key)=\(value)", matches: groups.map(\.groupID))
            }
            guard let group = groups.first else {
                throw AWSProviderError.notFound(
                    spec.id, "adopt names the tag \(key)=\(value), which no security group in \(spec.region) carries")
            }
            return group
        case .owned:
            let existing = try await ec2.describeSecurityGroups(filters: [
                .tag(Ownership.environmentKey, spec.environment), .tag(Ownership.resourceKey, spec.id.description),
            ])
            if let group = existing.first { return group }
            do {
                let id = try await ec2.createSecurityGroup(
                    name: spec.awsName, description: spec.groupDescription, vpcID: spec.vpc, tags: spec.tags)
                logger.info("Created security group", metadata: ["group": "\(id)", "name": "\(spec.awsName)"])
                guard let group = try await ec2.describeSecurityGroups(filters: [EC2Filter("group-id", [id])]).first else {
                    throw AWSProviderError.notFound(spec.id, "security group \(id) was created but cannot be described yet")
                }
                return group
            } catch let error as AWSError where error.is(.duplicateSecurityGroup) {
                throw AWSProviderError.unsupported(
                    spec.id,
                    "a security group named \(spec.awsName) already exists in \(spec.vpc) without Shipshape's ownership tags; "
                        + "adopt it with adopt: { id: sg-… } or remove it")
            }
        }
    }

    /// Group ids for the manifest names this group's rules refer to. Names that do not resolve yet
    /// (a group not created yet) are left out; their rules wait for the next cycle.
    private func resolvePeers(_ spec: SecurityGroupSpec, ec2: EC2Client) async throws -> [String: String] {
        let wanted = spec.referencedGroups
        guard !wanted.isEmpty else { return [:] }
        var ids: [String: String] = [:]
        var lookups: [ResourceID: EC2Locator] = [:]
        for name in wanted {
            switch spec.peerLocators[name] ?? .owned {
            case .id(let id): ids[name] = id
            case let locator: lookups[ResourceID(.securityGroup, name)] = locator
            }
        }
        guard !lookups.isEmpty else { return ids }
        let groups = try await EC2Lookup.fetch(
            Array(lookups.values), environment: spec.environment, idFilter: "group-id"
        ) { filters in try await ec2.describeSecurityGroups(filters: filters) }
        let matcher = EC2Matcher<ShipshapeAWS.SecurityGroup>(
            environment: spec.environment, externalID: \.groupID, tags: \.tags)
        for (resource, group) in matcher.match(lookups, kind: .securityGroup, observed: groups).matched
        where lookups[resource] != nil {
            ids[resource.name] = group.groupID
        }
        return ids
    }

    private func convergeRules(
        _ desired: [SecurityGroupSpec.Rule], current: [ShipshapeAWS.SecurityGroupRule], egress: Bool, groupID: String,
        peers: [String: String], names: [String: String], spec: SecurityGroupSpec, ec2: EC2Client, logger: Logger
    ) async throws {
        var wanted: [String: (spec: SecurityGroupSpec.Rule, aws: SecurityGroupRuleSpec)] = [:]
        var waiting: [String] = []
        for rule in desired {
            guard let aws = Self.awsRule(rule, peers: peers) else {
                waiting.append(RuleText.text(rule))
                continue
            }
            wanted[rule.trafficKey] = (rule, aws)
        }
        var present: Set<String> = []
        var revoke: [String] = []
        var modify: [(ruleID: String, rule: SecurityGroupRuleSpec)] = []
        for rule in current {
            let observed = ObservedSecurityGroup.spec(rule, groupNames: names)
            let key = observed.trafficKey
            if let target = wanted[key], !present.contains(key) {
                present.insert(key)
                if observed.description != target.spec.description { modify.append((rule.ruleID, target.aws)) }
            } else {
                revoke.append(rule.ruleID)
            }
        }
        let add = wanted.filter { !present.contains($0.key) }.sorted { $0.key < $1.key }.map { $0.value.aws }
        let direction = egress ? "egress" : "ingress"
        if !add.isEmpty {
            try await authorize(add, egress: egress, groupID: groupID, ec2: ec2)
            logger.info("Authorized security group rules", metadata: ["group": "\(groupID)", "direction": "\(direction)", "count": "\(add.count)"])
        }
        if !modify.isEmpty {
            try await ec2.modifySecurityGroupRules(groupID: groupID, rules: modify)
            logger.info("Updated rule descriptions", metadata: ["group": "\(groupID)", "direction": "\(direction)", "count": "\(modify.count)"])
        }
        if !revoke.isEmpty {
            try await self.revoke(revoke, egress: egress, groupID: groupID, ec2: ec2)
            logger.info("Revoked security group rules", metadata: ["group": "\(groupID)", "direction": "\(direction)", "rules": "\(revoke.sorted())"])
        }
        if !waiting.isEmpty {
            logger.warning(
                "Rules refer to security groups that do not exist yet; they are added once those groups exist",
                metadata: ["resource": "\(spec.id)", "rules": "\(waiting)"])
        }
    }

    /// Authorizes `rules` in one call; when AWS reports one of them as a duplicate (it exists
    /// already, e.g. added by an earlier, interrupted attempt), authorizes them one by one and counts
    /// duplicates as done.
    private func authorize(_ rules: [SecurityGroupRuleSpec], egress: Bool, groupID: String, ec2: EC2Client) async throws {
        func call(_ batch: [SecurityGroupRuleSpec]) async throws {
            if egress {
                try await ec2.authorizeEgress(groupID: groupID, rules: batch)
            } else {
                try await ec2.authorizeIngress(groupID: groupID, rules: batch)
            }
        }
        do {
            try await call(rules)
        } catch let error as AWSError where error.is(.duplicatePermission) {
            for rule in rules {
                do {
                    try await call([rule])
                } catch let error as AWSError where error.is(.duplicatePermission) {
                    continue
                }
            }
        }
    }

    /// Revokes rules by id; rules already gone count as revoked.
    private func revoke(_ ruleIDs: [String], egress: Bool, groupID: String, ec2: EC2Client) async throws {
        func call(_ batch: [String]) async throws {
            if egress {
                try await ec2.revokeEgress(groupID: groupID, ruleIDs: batch)
            } else {
                try await ec2.revokeIngress(groupID: groupID, ruleIDs: batch)
            }
        }
        do {
            try await call(ruleIDs)
        } catch let error as AWSError where error.is(.permissionNotFound) {
            for ruleID in ruleIDs {
                do {
                    try await call([ruleID])
                } catch let error as AWSError where error.is(.permissionNotFound) {
                    continue
                }
            }
        }
    }

    /// The rule in AWS terms; nil when it refers to a group whose id is not known yet.
    static func awsRule(_ rule: SecurityGroupSpec.Rule, peers: [String: String]) -> SecurityGroupRuleSpec? {
        let peer: SecurityGroupPeer
        switch rule.peer {
        case .ipv4(let cidr): peer = .ipv4(cidr)
        case .ipv6(let cidr): peer = .ipv6(cidr)
        case .group(let name):
            guard let id = peers[name] else { return nil }
            peer = .group(id)
        case .groupID(let id): peer = .group(id)
        case .prefixList(let id): peer = .prefixList(id)
        }
        return SecurityGroupRuleSpec(
            ipProtocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort, peer: peer, description: rule.description)
    }
}
