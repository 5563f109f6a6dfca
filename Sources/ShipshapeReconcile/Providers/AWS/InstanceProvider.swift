public import Logging
public import ShipshapeManifest
import ShipshapeAWS

/// EC2 instances (`instance/NAME`): their type and tags.
///
/// Instances are adopted, never launched: by `adopt: { id: i-… }`, by a unique tag, or, without
/// `adopt`, by the ownership tag `shipshape.io/resource=instance/NAME` of the environment. A type
/// change stops the instance, waits until it is stopped, changes the type, starts it and waits until
/// it runs; the `type` field is disruptive, so the environment's approval policy decides whether it
/// runs. Tags the manifests set converge; other tags are left alone.
///
/// Observing an environment is one DescribeInstances per way of finding instances (ownership tags,
/// adopted ids, adoption tags), each paginated.
public struct InstanceProvider: Provider {
    public let name = "ec2-instances"
    public let kinds: Set<ResourceKind> = [.instance]
    /// Set on an instance while it is stopped for a type change, so an interrupted change still
    /// starts it again.
    public static let restartTag = "shipshape.io/restart-after-resize"

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
        let instances = environment.spec.instances.values.sorted { $0.name < $1.name }
        guard !instances.isEmpty else {
            targets.record([:], environment: environment.name)
            return []
        }
        let region = try AWSProviderError.region(of: environment, "declares instances")
        var resources: [DesiredResource] = []
        var wanted: [ResourceID: EC2Target] = [:]
        for instance in instances {
            let spec = InstanceSpec(environment: environment, instance: instance, region: region)
            wanted[spec.id] = EC2Target(locator: spec.locator, tagKeys: Set(spec.tags.keys))
            resources.append(
                DesiredResource(
                    id: spec.id,
                    attributes: spec.attributes,
                    fieldEffects: ["type": .disruptive],
                    dependencies: instance.securityGroups.map { ResourceID(.securityGroup, $0) },
                    payload: spec))
        }
        targets.record(wanted, environment: environment.name)
        return resources
    }

    public func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource] {
        let wanted = targets.targets(environment: scope.environment)
        // An environment without resources of this kind needs no AWS call (and no AWS credentials).
        guard let region = scope.region, !wanted.isEmpty else { return [:] }
        let ec2 = EC2Client(client: try clients.client(for: region))
        let instances = try await EC2Lookup.fetch(
            wanted.values.map(\.locator), environment: scope.environment, idFilter: "instance-id"
        ) { filters in try await ec2.describeInstances(filters: filters) }
            .filter { $0.state != .terminated && $0.state != .shuttingDown }
        let matcher = EC2Matcher<EC2Instance>(environment: scope.environment, externalID: \.instanceID, tags: \.tags)
        let (matched, ambiguous) = matcher.match(wanted.mapValues(\.locator), kind: .instance, observed: instances)
        for (resource, ids) in ambiguous {
            logger.warning(
                "Adoption tag matches several instances; not adopting",
                metadata: ["resource": "\(resource)", "instances": "\(ids.sorted().joined(separator: ","))"])
        }
        var live: [ResourceID: LiveResource] = [:]
        for (resource, instance) in matched {
            live[resource] = LiveResource(
                id: resource,
                attributes: Self.attributes(instance, target: wanted[resource]),
                owned: Ownership.isOwned(instance.tags, environment: scope.environment),
                externalID: instance.instanceID,
                payload: instance)
        }
        return live
    }

    /// `type` (with a note while a resize waits to start the instance again), the tags the manifests
    /// set, and the state for status pages.
    static func attributes(_ instance: EC2Instance, target: EC2Target?) -> Attributes {
        var type = instance.instanceType
        if instance.tags[restartTag] != nil { type += " (stopped for a type change; start pending)" }
        return [
            "type": .string(type),
            "tags": (target ?? EC2Target(locator: .owned, tagKeys: [])).liveTags(instance.tags),
            "state": .string(instance.stateName),
        ]
    }

    public func apply(_ change: Change, context: ApplyContext) async throws {
        switch change.action {
        case .delete:
            throw AWSProviderError.unsupported(
                change.resource,
                "Shipshape never terminates instances; terminate \(change.live?.externalID ?? "it") by hand or keep it in the manifests")
        case .create, .update, .replace:
            guard let spec = change.desired?.payload as? InstanceSpec else {
                throw AWSProviderError.invalid(change.resource.description, "the plan carries no instance spec")
            }
            let ec2 = EC2Client(client: try clients.client(for: spec.region))
            let instance: EC2Instance
            if let observed = change.live?.payload as? EC2Instance {
                instance = observed
            } else {
                instance = try await locate(spec, ec2: ec2)
            }
            try await converge(spec, instance: instance, ec2: ec2, logger: context.logger)
        }
    }

    /// Finds the instance the manifests name when the observation did not (adopted since, or raced).
    private func locate(_ spec: InstanceSpec, ec2: EC2Client) async throws -> EC2Instance {
        let filters: [EC2Filter]
        let what: String
        switch spec.locator {
        case .id(let id):
            filters = [EC2Filter("instance-id", [id])]
            what = "adopt names instance \(id), which does not exist in \(spec.region) (or is terminated); fix the id"
        case .tag(let key, let value):
            filters = [.tag(key, value)]
            what = "adopt names the tag \(key)=\(value), which no live instance in \(spec.region) carries"
        case .owned:
            filters = [.tag(Ownership.environmentKey, spec.environment), .tag(Ownership.resourceKey, spec.id.description)]
            what =
                "no instance carries \(Ownership.resourceKey)=\(spec.id) for environment \(spec.environment); Shipshape does not "
                + "launch instances: launch it with the ownership tags, or add adopt: { id: i-… } or { tag: Key=Value }"
        }
        let found = try await ec2.describeInstances(filters: filters).filter {
            $0.state != .terminated && $0.state != .shuttingDown
        }
        if found.count > 1, case .tag(let key, let value) = spec.locator {
            throw AWSProviderError.ambiguous(spec.id, tag: "\(key)=\(value)", matches: found.map(\.instanceID))
        }
        guard let instance = found.first else { throw AWSProviderError.notFound(spec.id, what) }
        return instance
    }
}
