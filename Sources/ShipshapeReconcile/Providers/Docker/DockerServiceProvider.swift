import AsyncHTTPClient
import Foundation
public import Logging
public import ShipshapeDocker
public import ShipshapeManifest

/// Runs `runtime: docker` services as containers on this host's Docker daemon.
///
/// Each replica is one container named `ENV-SERVICE-INDEX-HASH`, labelled with the ownership labels,
/// its replica index, its slot and the desired attributes it was created from (`shipshape.io/spec`,
/// JSON; secret references only, never resolved values). Observing is one `GET /containers/json`
/// with a label filter (the spec label gives field-level diffs) plus a concurrent inspect of the
/// running containers to find hand changes (`docker update`). Rollouts follow the service's
/// `strategy` (rolling, blue/green, canary; see docs/docker-runtime.md). Containers without the
/// ownership labels are never touched.
public struct DockerServiceProvider: Provider {
    public let name = "docker"
    public let kinds: Set<ResourceKind> = [.service]
    let client: DockerClient
    let logger: Logger
    let probe: HealthProbe
    let options: DockerRuntimeOptions

    /// Labels Shipshape adds besides the ownership labels.
    enum Label {
        static let spec = "shipshape.io/spec"
        static let replica = "shipshape.io/replica"
        static let revision = "shipshape.io/revision"
        /// 0, or 1 for the blue/green alternate set (its ports are `slotPortOffset` higher).
        static let slot = "shipshape.io/slot"
        /// On a blue/green set: epoch seconds after which the set it replaced may be removed.
        static let retirePreviousAfter = "shipshape.io/retire-previous-after"
    }

    /// Creates the provider.
    ///
    /// - Parameters:
    ///   - client: the daemon's client.
    ///   - logger: for observe-time messages (apply uses the context's logger).
    ///   - httpClient: for HTTP health probes on 127.0.0.1.
    ///   - options: secrets, registry credentials, traffic switches, image retention.
    public init(
        client: DockerClient, logger: Logger, httpClient: HTTPClient = .shared, options: DockerRuntimeOptions = .init()
    ) {
        self.client = client
        self.logger = logger
        self.options = options
        probe = HealthProbe(httpClient: httpClient)
    }

    public func desiredResources(for environment: Environment) throws -> [DesiredResource] {
        environment.spec.services.values
            .filter { $0.runtime == .docker }
            .sorted { $0.name < $1.name }
            .map { service in
                let spec = DockerServiceSpec(environment: environment.name, service: service)
                return DesiredResource(
                    id: spec.resourceID,
                    attributes: spec.attributes,
                    fieldEffects: DockerServiceSpec.fieldEffects,
                    payload: spec
                )
            }
    }

    public func observe(_ scope: Scope) async throws -> [ResourceID: LiveResource] {
        let containers = try await client.listContainers(
            all: true,
            labels: [Ownership.managedByKey: Ownership.managedByValue, Ownership.environmentKey: scope.environment]
        )
        var byResource: [ResourceID: [ContainerSummary]] = [:]
        for container in containers {
            guard let label = container.labels[Ownership.resourceKey], let id = ResourceID(label: label),
                id.kind == .service
            else { continue }
            byResource[id, default: []].append(container)
        }
        // Hand changes (`docker update --memory`) are invisible in the list: inspect the running
        // containers, concurrently.
        let running = byResource.values.flatMap { $0 }.filter(\.isRunning).map(\.id)
        let inspected = try await client.inspectContainers(running, maxConcurrent: options.inspectConcurrency)
        let details = Dictionary(inspected.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let now = options.now()
        var live: [ResourceID: LiveResource] = [:]
        for (id, containers) in byResource {
            let observed = ObservedService(id: id, containers: containers, details: details, observedAt: now)
            if !observed.drift.isEmpty {
                logger.info(
                    "Containers changed by hand", metadata: ["resource": "\(id)", "drift": "\(observed.driftSummary)"])
            }
            live[id] = LiveResource(
                id: id,
                attributes: observed.attributes,
                owned: true,
                externalID: containers.map { String($0.id.prefix(12)) }.sorted().joined(separator: ","),
                payload: observed
            )
        }
        return live
    }

    public func apply(_ change: Change, context: ApplyContext) async throws {
        let observed = change.live?.payload as? ObservedService
        switch change.action {
        case .delete:
            try await remove(observed?.containers ?? [], logger: context.logger)
        case .create, .update, .replace:
            guard let spec = change.desired?.payload as? DockerServiceSpec else {
                throw DockerProviderError("\(change.resource): the plan carries no Docker service spec")
            }
            try await converge(spec, observed: observed, context: context)
        }
    }
}

/// A Docker service change could not be carried out.
public struct DockerProviderError: ClassifiedError, CustomStringConvertible {
    public var description: String
    public var disposition: ErrorDisposition
    public var rolledBack: Bool

    init(_ description: String, disposition: ErrorDisposition = .stalled, rolledBack: Bool = false) {
        self.description = description
        self.disposition = disposition
        self.rolledBack = rolledBack
    }
}
