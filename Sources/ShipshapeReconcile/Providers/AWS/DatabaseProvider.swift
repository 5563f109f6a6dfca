public import Logging
public import ShipshapeManifest
import ShipshapeAWS

/// RDS DB instances (`database/NAME`): instance class and allocated storage.
///
/// The DB instance identifier is the manifest name, or the id in `adopt: { id: … }`. Shipshape does
/// not create or delete DB instances. A change is one ModifyDBInstance with `ApplyImmediately` as the
/// manifest says; with `applyImmediately: false` RDS records it as a pending modification applied in
/// the maintenance window. Live `class` and `storage` are the values RDS converges to (the pending
/// value when there is one), so a pending change is not sent again every cycle; `pending` lists the
/// pending modifications and `current-class` / `current-storage` what runs now. A class change
/// restarts the database: the `class` field is disruptive.
///
/// Observing an environment is one paginated DescribeDBInstances for the region.
public struct DatabaseProvider: Provider {
    public let name = "rds"
    public let kinds: Set<ResourceKind> = [.database]

    let clients: AWSRegionalClients
    let logger: Logger
    /// The DB instance identifier of each desired database.
    let targets = ObservationTargets<String>()

    /// Creates the provider.
    public init(clients: AWSRegionalClients, logger: Logger) {
        self.clients = clients
        self.logger = logger
    }

    /// A database as the manifests want it; the desired payload of `database/NAME`.
    struct Spec: Sendable {
        var id: ResourceID
        var region: String
        /// Nil when the manifest adopts by tag, which RDS does not support here.
        var identifier: String?
        var instanceClass: String
        var storageGiB: Int
        var applyImmediately: Bool
    }

    public func desiredResources(for environment: Environment) throws -> [DesiredResource] {
        let databases = environment.spec.databases.values.sorted { $0.name < $1.name }
        guard !databases.isEmpty else {
            targets.record([:], environment: environment.name)
            return []
        }
        let region = try AWSProviderError.region(of: environment, "declares databases")
        var resources: [DesiredResource] = []
        var identifiers: [ResourceID: String] = [:]
        for database in databases {
            let id = ResourceID(.database, database.name)
            // Databases are adopted by identifier only; a tag adoption fails that one change at apply
            // time rather than the whole environment's plan.
            let identifier: String?
            switch database.adopt {
            case nil: identifier = database.name
            case .id(let adopted): identifier = adopted
            case .tag: identifier = nil
            }
            identifiers[id] = identifier
            let spec = Spec(
                id: id, region: region, identifier: identifier, instanceClass: database.instanceClass,
                storageGiB: database.storageGiB, applyImmediately: database.applyImmediately)
            resources.append(
                DesiredResource(
                    id: id,
                    attributes: ["class": .string(spec.instanceClass), "storage": .int(spec.storageGiB)],
                    fieldEffects: ["class": .disruptive],
                    dependencies: database.securityGroups.map { ResourceID(.securityGroup, $0) },
                    payload: spec))
        }
        targets.record(identifiers, environment: environment.name)
        return resources
    }

    public func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource] {
        let wanted = targets.targets(environment: scope.environment)
        guard let region = scope.region, !wanted.isEmpty else { return [:] }
        let rds = RDSClient(client: try clients.client(for: region))
        let instances = try await rds.describeDBInstances()
        let byIdentifier = Dictionary(instances.map { ($0.identifier, $0) }, uniquingKeysWith: { first, _ in first })
        var live: [ResourceID: LiveResource] = [:]
        for (resource, identifier) in wanted {
            guard let instance = byIdentifier[identifier] else { continue }
            live[resource] = LiveResource(
                id: resource, attributes: Self.attributes(instance), owned: false, externalID: identifier, payload: instance)
        }
        return live
    }

    /// The class and storage RDS converges to, what runs now, the pending modifications and status.
    static func attributes(_ instance: RDSDBInstance) -> Attributes {
        let pending = instance.pendingModifiedValues
        var pendingValues: [String: AttributeValue] = [:]
        if let value = pending.dbInstanceClass { pendingValues["class"] = .string(value) }
        if let value = pending.allocatedStorage { pendingValues["storage"] = .int(value) }
        if let value = pending.storageType { pendingValues["storage-type"] = .string(value) }
        if let value = pending.iops { pendingValues["iops"] = .int(value) }
        if let value = pending.engineVersion { pendingValues["engine-version"] = .string(value) }
        if let value = pending.multiAZ { pendingValues["multi-az"] = .bool(value) }
        var attributes: Attributes = [
            "class": .string(pending.dbInstanceClass ?? instance.dbInstanceClass),
            "current-class": .string(instance.dbInstanceClass),
            "status": .string(instance.status),
            "pending": .map(pendingValues),
        ]
        if let storage = pending.allocatedStorage ?? instance.allocatedStorage { attributes["storage"] = .int(storage) }
        if let storage = instance.allocatedStorage { attributes["current-storage"] = .int(storage) }
        return attributes
    }

    public func apply(_ change: Change, context: ApplyContext) async throws {
        guard change.action != .delete else {
            throw AWSProviderError.unsupported(
                change.resource, "Shipshape never deletes databases; delete \(change.live?.externalID ?? "it") by hand")
        }
        guard let spec = change.desired?.payload as? Spec else {
            throw AWSProviderError.invalid(change.resource.description, "the plan carries no database spec")
        }
        guard let identifier = spec.identifier else {
            throw AWSProviderError.invalid(
                change.resource.description,
                "databases are adopted by DB instance identifier only, not by tag; use adopt: { id: IDENTIFIER }")
        }
        let rds = RDSClient(client: try clients.client(for: spec.region))
        let instance: RDSDBInstance
        if let observed = change.live?.payload as? RDSDBInstance {
            instance = observed
        } else {
            do {
                guard let found = try await rds.describeDBInstances(identifier: identifier).first else {
                    throw AWSError(
                        code: AWSError.Code.dbInstanceNotFound.rawValue, message: identifier, service: "rds",
                        operation: "DescribeDBInstances", classification: .client)
                }
                instance = found
            } catch let error as AWSError where error.is(.dbInstanceNotFound) {
                throw AWSProviderError.notFound(
                    spec.id,
                    "DB instance \(identifier) does not exist in \(spec.region); Shipshape does not create databases: "
                        + "create it, or adopt an existing one with adopt: { id: IDENTIFIER }")
            }
        }
        let attributes = Self.attributes(instance)
        var modification = RDSModification(applyImmediately: spec.applyImmediately)
        if attributes["class"] != .string(spec.instanceClass) { modification.dbInstanceClass = spec.instanceClass }
        if attributes["storage"] != .int(spec.storageGiB) { modification.allocatedStorage = spec.storageGiB }
        guard modification.dbInstanceClass != nil || modification.allocatedStorage != nil else { return }
        let result = try await rds.modifyDBInstance(identifier, modification)
        context.logger.notice(
            "Modified DB instance",
            metadata: [
                "db": "\(identifier)", "class": "\(modification.dbInstanceClass ?? "-")",
                "storage": "\(modification.allocatedStorage.map(String.init) ?? "-")",
                "applyImmediately": "\(spec.applyImmediately)",
                "pending": "\(Self.attributes(result)["pending"] ?? .map([:]))",
            ])
    }
}
