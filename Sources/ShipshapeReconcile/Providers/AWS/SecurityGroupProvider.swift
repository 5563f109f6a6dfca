public import Logging
public import ShipshapeManifest
import ShipshapeAWS

/// EC2 security groups (`security-group/NAME`), converged rule by rule.
///
/// A group the manifests own is created as `ENV-NAME` with the ownership tags; a group with
/// `adopt: { id: sg-… }` (or a unique tag) is taken over as it is. The listed rules are the complete
/// set: missing rules are authorized, extra ones revoked by rule id, and a rule whose description
/// alone differs is rewritten in place (ModifySecurityGroupRules). The group itself is never replaced.
///
/// Observing an environment is one DescribeSecurityGroups per way of finding groups (ownership tags,
/// adopted ids, adoption tags) and one DescribeSecurityGroupRules for all the groups found, each
/// paginated.
public struct SecurityGroupProvider: Provider {
    public let name = "ec2-security-groups"
    public let kinds: Set<ResourceKind> = [.securityGroup]
    /// The field that lists the ingress rules reaching a protected port; marked disruptive.
    public static let protectedField = "ingress.protected-ports"

    let clients: AWSRegionalClients
    let options: AWSProviderOptions
    let logger: Logger
    let targets = ObservationTargets<EC2Target>()

    /// Creates the provider.
    public init(clients: AWSRegionalClients, options: AWSProviderOptions = .init(), logger: Logger) {
        self.clients = clients
        self.options = options
        self.logger = logger
    }

    public func desiredResources(for environment: Environment) throws -> [DesiredResource] {
        let groups = environment.spec.securityGroups.values.sorted { $0.name < $1.name }
        guard !groups.isEmpty else {
            targets.record([:], environment: environment.name)
            return []
        }
        let region = try AWSProviderError.region(of: environment, "declares security groups")
        var resources: [DesiredResource] = []
        var locators: [ResourceID: EC2Target] = [:]
        for group in groups {
            let spec = SecurityGroupSpec(
                environment: environment, group: group, region: region, protectedPorts: options.protectedPorts)
            locators[spec.id] = EC2Target(locator: spec.locator, tagKeys: Set(spec.tags.keys))
            resources.append(
                DesiredResource(
                    id: spec.id,
                    attributes: spec.attributes,
                    fieldEffects: [Self.protectedField: .disruptive],
                    dependencies: spec.referencedGroups.map { ResourceID(.securityGroup, $0) },
                    payload: spec))
        }
        targets.record(locators, environment: environment.name)
        return resources
    }

    public func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource] {
        let wanted = targets.targets(environment: scope.environment)
        // An environment without resources of this kind needs no AWS call (and no AWS credentials).
        guard let region = scope.region, !wanted.isEmpty else { return [:] }
        let ec2 = EC2Client(client: try clients.client(for: region))
        let groups = try await EC2Lookup.fetch(
            wanted.values.map(\.locator), environment: scope.environment, idFilter: "group-id"
        ) { filters in try await ec2.describeSecurityGroups(filters: filters) }
        let matcher = EC2Matcher<ShipshapeAWS.SecurityGroup>(
            environment: scope.environment, externalID: \.groupID, tags: \.tags)
        let (matched, ambiguous) = matcher.match(wanted.mapValues(\.locator), kind: .securityGroup, observed: groups)
        for (resource, ids) in ambiguous {
            logger.warning(
                "Adoption tag matches several security groups; not adopting",
                metadata: ["resource": "\(resource)", "groups": "\(ids.sorted().joined(separator: ","))"])
        }
        guard !matched.isEmpty else { return [:] }
        let groupIDs = Array(Set(matched.values.map(\.groupID))).sorted()
        // One paginated call (the client splits the group-id filter into batches of 200, EC2's limit).
        let rules = try await ec2.describeSecurityGroupRules(groupIDs: groupIDs)
        let names = Dictionary(matched.map { ($0.value.groupID, $0.key.name) }, uniquingKeysWith: { first, _ in first })
        let rulesByGroup = Dictionary(grouping: rules, by: \.groupID)
        var live: [ResourceID: LiveResource] = [:]
        for (resource, group) in matched {
            let observed = ObservedSecurityGroup(
                group: group, rules: rulesByGroup[group.groupID] ?? [], groupNames: names)
            var attributes = observed.attributes(protectedPorts: options.protectedPorts)
            attributes["tags"] = (wanted[resource] ?? EC2Target(locator: .owned, tagKeys: [])).liveTags(group.tags)
            live[resource] = LiveResource(
                id: resource,
                attributes: attributes,
                owned: Ownership.isOwned(group.tags, environment: scope.environment),
                externalID: group.groupID,
                payload: observed)
        }
        return live
    }

    public func apply(_ change: Change, context: ApplyContext) async throws {
        switch change.action {
        case .delete:
            throw AWSProviderError.unsupported(
                change.resource,
                "Shipshape does not delete security groups (instances or interfaces may still use them); delete "
                    + "\((change.live?.externalID).map { "\($0) " } ?? "")by hand or keep it in the manifests")
        case .create, .update, .replace:
            guard let spec = change.desired?.payload as? SecurityGroupSpec else {
                throw AWSProviderError.invalid(change.resource.description, "the plan carries no security group spec")
            }
            try await converge(spec, observed: change.live?.payload as? ObservedSecurityGroup, logger: context.logger)
        }
    }
}
