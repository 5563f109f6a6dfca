import Foundation
import Logging
import ShipshapeDocker
import ShipshapeManifest

/// What one rollout of one service works with.
struct Rollout: Sendable {
    let spec: DockerServiceSpec
    /// Resolved secrets by variable name: only ever passed into container environments.
    let secretValues: [String: String]
    let revision: String
    let logger: Logger
    let slotOffset: Int

    var service: Service { spec.service }

    func containerSpec(replica index: Int, slot: Int, extraLabels: [String: String] = [:]) -> ContainerSpec {
        spec.containerSpec(
            replica: index, slot: slot, slotOffset: slotOffset, revision: revision, secretValues: secretValues,
            extraLabels: extraLabels)
    }
}

/// A container this rollout created.
struct NewReplica: Sendable {
    let id: String
    let name: String
    let index: Int
    let spec: ContainerSpec
}

extension DockerServiceProvider {
    /// Brings the service's containers to `spec` with the service's strategy. The image is pulled and
    /// the secrets resolved before anything is stopped; a failure at any later step rolls back to the
    /// previous containers and throws a `.stalled` `DockerProviderError`.
    func converge(_ spec: DockerServiceSpec, observed: ObservedService?, context: ApplyContext) async throws {
        let rollout = try await prepare(spec, context: context)
        let strategy = spec.service.strategy
        switch strategy.kind {
        case .rolling:
            try await rollingUpdate(rollout, observed: observed, batchSize: strategy.maxUnavailable, canary: false)
        case .canary:
            try await rollingUpdate(rollout, observed: observed, batchSize: strategy.maxUnavailable, canary: true)
        case .blueGreen:
            try await blueGreenUpdate(rollout, observed: observed)
        }
        await pruneImages(of: spec, logger: context.logger)
    }

    /// Everything that can fail without touching a container: the traffic switch for blue/green, the
    /// metric query for a canary analysis, the image (pulled when missing, with the registry's
    /// credentials), the secrets.
    func prepare(_ spec: DockerServiceSpec, context: ApplyContext) async throws -> Rollout {
        let logger = context.logger
        let service = spec.service
        if service.strategy.kind == .blueGreen { _ = try trafficSwitch(for: spec) }
        if service.strategy.kind == .canary, service.strategy.analysis != nil, options.metrics == nil {
            throw DockerProviderError(
                "\(spec.resourceID): the canary has an analysis query but the controller has no Prometheus configured (docker.prometheus); nothing was changed"
            )
        }
        if !service.secrets.isEmpty && options.secrets == nil {
            throw DockerProviderError(
                "\(spec.resourceID): the service has secrets but the controller has no secret resolver configured; nothing was changed"
            )
        }
        let image = service.image.description
        if try await client.inspectImage(image) == nil {
            let registry = service.image.registry ?? "docker.io"
            let auth: RegistryAuth?
            do {
                auth = try await options.registryCredentials?.credentials(forRegistry: registry, logger: logger)
            } catch {
                throw DockerProviderError(
                    "\(spec.resourceID): cannot get credentials for registry \(registry): \(error); nothing was stopped",
                    disposition: ErrorDisposition.of(error))
            }
            logger.info("Pulling image", metadata: ["image": "\(image)", "auth": "\(auth?.description ?? "anonymous")"])
            let started = ContinuousClock.now
            do {
                try await client.pullImage(image, auth: auth)
            } catch let error as DockerError where [.notFound, .pullFailed, .unauthorized].contains(error.code) {
                throw DockerProviderError("\(spec.resourceID): image \(image) cannot be pulled: \(error); nothing was stopped")
            }
            logger.info("Pulled image", metadata: ["image": "\(image)", "duration": "\(ContinuousClock.now - started)"])
        }
        let secretValues = try await resolveSecrets(spec)
        return Rollout(
            spec: spec, secretValues: secretValues, revision: context.revision, logger: logger,
            slotOffset: options.slotPortOffset)
    }

    /// The service's secrets by variable name, resolved concurrently. Errors name the variable and
    /// the reference, never a value.
    func resolveSecrets(_ spec: DockerServiceSpec) async throws -> [String: String] {
        guard let resolver = options.secrets, !spec.service.secrets.isEmpty else { return [:] }
        return try await withThrowingTaskGroup(of: (String, String).self) { group in
            for (name, reference) in spec.service.secrets {
                group.addTask {
                    do {
                        return (name, try await resolver.resolve(reference))
                    } catch {
                        throw DockerProviderError(
                            "\(spec.resourceID): secret \(name) (\(reference)) cannot be resolved: \(error); nothing was stopped",
                            disposition: ErrorDisposition.of(error))
                    }
                }
            }
            var values: [String: String] = [:]
            for try await (name, value) in group { values[name] = value }
            return values
        }
    }

    /// Rolling (and canary) update: replicas that do not run the wanted spec are replaced
    /// `batchSize` at a time, each batch healthy before the next. With `canary`, the first replaced
    /// replica runs alone first and is watched for `strategy.observe`. Old containers are stopped,
    /// not removed, until every batch is healthy, so a failure anywhere restores all of them.
    func rollingUpdate(_ rollout: Rollout, observed: ObservedService?, batchSize: Int, canary: Bool) async throws {
        let spec = rollout.spec
        let logger = rollout.logger
        let wanted = spec.specLabel
        let containers = observed?.containers ?? []
        let drifted = Set(observed?.drift.keys.map { $0 } ?? [])
        var keep = Set<String>()
        var pending: [(index: Int, old: ContainerSummary?)] = []
        for index in 0..<spec.service.replicas {
            let replicas = containers.filter { observed?.replicaIndex($0) == index }
            if let current = replicas.first(where: {
                $0.isRunning && $0.labels[Label.spec] == wanted && !drifted.contains($0.id)
            }) {
                keep.insert(current.id)
                continue
            }
            // The container holding this replica's ports: the running one in slot 0.
            let old = replicas.first { $0.isRunning && observed?.slot($0) == 0 }
            pending.append((index, old))
        }

        var batches: [[(index: Int, old: ContainerSummary?)]] = []
        var rest = pending[...]
        // A canary needs something to compare with: on a first deploy every replica is new anyway.
        let watchFirst = canary && !pending.isEmpty && !(observed?.running.isEmpty ?? true)
        if watchFirst, let first = rest.first {
            batches.append([first])
            rest = rest.dropFirst()
        }
        let size = max(1, batchSize)
        while !rest.isEmpty {
            batches.append(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }

        var created: [NewReplica] = []
        var stopped: [ContainerSummary] = []
        do {
            for (number, batch) in batches.enumerated() {
                var fresh: [NewReplica] = []
                for item in batch {
                    let replica = try await createReplica(rollout, index: item.index, slot: 0, inUse: containers)
                    fresh.append(replica)
                    created.append(replica)
                }
                for item in batch {
                    guard let old = item.old else { continue }
                    logger.info("Stopping old replica", metadata: ["container": "\(old.name)", "replica": "\(item.index)"])
                    try await client.stopContainer(old.id, timeout: options.stopTimeout)
                    stopped.append(old)
                }
                try await startHealthy(fresh, rollout: rollout)
                if watchFirst && number == 0 {
                    try await watchCanary(fresh[0], rollout: rollout)
                }
                for replica in fresh {
                    logger.info("Replica healthy", metadata: ["container": "\(replica.name)", "replica": "\(replica.index)"])
                }
            }
        } catch {
            logger.error(
                "Rollout failed, rolling back",
                metadata: ["resource": "\(spec.resourceID)", "image": "\(spec.service.image)", "error": "\(error)"])
            // Started replicas may be serving (a load balancer does not know they failed): stop them
            // gracefully, which frees their ports for the old ones, then start the old ones.
            for replica in created { try? await client.stopContainer(replica.id, timeout: options.stopTimeout) }
            var restarted: [String] = []
            for old in stopped where (try? await client.startContainer(old.id)) != nil {
                restarted.append(old.name)
            }
            for replica in created { try? await client.removeContainer(replica.id, force: true) }
            let back =
                stopped.isEmpty
                ? "no earlier replica was stopped"
                : "rolled back to \(Set(stopped.map(\.image)).sorted().joined(separator: ", ")) (restarted \(restarted.count) of \(stopped.count))"
            throw DockerProviderError(
                "\(spec.resourceID): \(canary ? "canary" : "rolling") rollout of \(spec.service.image) failed: \(error); \(back)",
                rolledBack: !restarted.isEmpty
            )
        }
        keep.formUnion(created.map(\.id))
        // Replicas beyond the count, stopped leftovers, other slots and the replaced containers.
        try await remove(containers.filter { !keep.contains($0.id) }, logger: logger)
    }

    /// Creates (not starts) the container of replica `index` in `slot`. A leftover with its name is
    /// ours, from an attempt cut short: it is removed first, unless it is one of the running
    /// containers in `inUse` (a container changed by hand that this one replaces): then the new one
    /// gets a suffix.
    func createReplica(
        _ rollout: Rollout, index: Int, slot: Int, extraLabels: [String: String] = [:], inUse: [ContainerSummary] = []
    ) async throws -> NewReplica {
        let containerSpec = rollout.containerSpec(replica: index, slot: slot, extraLabels: extraLabels)
        var name = rollout.spec.containerName(replica: index, slot: slot)
        if inUse.contains(where: { $0.isRunning && $0.name == name }) {
            name += "-" + String(UInt16.random(in: .min ... .max), radix: 16)
        }
        try await client.removeContainer(name, force: true)
        rollout.logger.info("Creating container", metadata: ["container": "\(name)", "replica": "\(index)", "slot": "\(slot)"])
        let id = try await client.createContainer(name: name, spec: containerSpec)
        return NewReplica(id: id, name: name, index: index, spec: containerSpec)
    }

    /// Starts the new replicas and waits until all are healthy, `options.inspectConcurrency` at a time
    /// (the daemon's connection pool is shared with the health polls).
    func startHealthy(_ replicas: [NewReplica], rollout: Rollout) async throws {
        let health = rollout.service.health
        let probeCheck = rollout.service.strategy.kind == .rolling ? nil : rollout.service.strategy.probe
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = replicas.startIndex
            func launch() {
                guard next < replicas.endIndex else { return }
                let replica = replicas[next]
                next += 1
                group.addTask {
                    do {
                        rollout.logger.info(
                            "Starting container", metadata: ["container": "\(replica.name)", "replica": "\(replica.index)"])
                        try await client.startContainer(replica.id)
                        try await probe.waitHealthy(
                            id: replica.id, spec: replica.spec, health: health, probe: probeCheck, client: client)
                    } catch {
                        throw DockerProviderError("\(replica.name) (replica \(replica.index)): \(error)")
                    }
                }
            }
            for _ in 0..<max(1, options.inspectConcurrency) { launch() }
            while try await group.next() != nil { launch() }
        }
    }

    /// Canary: watches the first new replica for `strategy.observe`: it must keep running without a
    /// restart, its Docker health check must not turn unhealthy, and the HTTP checks (`health.http`,
    /// `strategy.probe`) must keep answering 2xx. Looks every `health.interval` (at most every 5 s).
    /// With `strategy.analysis`, the query is evaluated every `analysis.interval` and once more at the
    /// end; a value out of bounds, no data, or a query that cannot be evaluated fails the canary.
    func watchCanary(_ canary: NewReplica, rollout: Rollout) async throws {
        let strategy = rollout.service.strategy
        let urls = [rollout.service.health, strategy.probe].compactMap { $0.flatMap { probe.probeURL($0, spec: canary.spec) } }
        let interval = min(rollout.service.health?.interval ?? .seconds(5), .seconds(5))
        let start = ContinuousClock.now
        let deadline = start + strategy.observe
        let analysis = strategy.kind == .canary ? strategy.analysis : nil
        // The next evaluation of the analysis query: every interval, and at the deadline.
        var nextAnalysis = analysis.map { min(start + $0.interval, deadline) }
        rollout.logger.info(
            "Observing canary", metadata: ["container": "\(canary.name)", "for": "\(strategy.observe)"])
        let restarts = try await client.inspectContainer(canary.id).restartCount
        while true {
            let details = try await client.inspectContainer(canary.id)
            if details.restartCount != restarts {
                throw DockerProviderError("canary \(canary.name) restarted \(details.restartCount - restarts) time(s)")
            }
            if let problem = try await probe.check(details, urls: urls) {
                throw DockerProviderError("canary \(canary.name) failed while observed: \(problem)")
            }
            let now = ContinuousClock.now
            if let analysis, let due = nextAnalysis, now >= due {
                try await analyze(canary, analysis: analysis, rollout: rollout)
                nextAnalysis = due >= deadline ? nil : min(ContinuousClock.now + analysis.interval, deadline)
            }
            if now >= deadline && nextAnalysis == nil { return }
            let wake = min(now + interval, nextAnalysis ?? deadline, deadline)
            try await Task.sleep(for: max(.zero, wake - ContinuousClock.now))
        }
    }

    /// One evaluation of the canary's analysis query; throws when the value is out of bounds, the
    /// query returns no data (an absent series is not taken for a healthy one), or it fails.
    func analyze(_ canary: NewReplica, analysis: CanaryAnalysis, rollout: Rollout) async throws {
        guard let metrics = options.metrics else {
            throw DockerProviderError("canary \(canary.name): no Prometheus configured for its analysis query")
        }
        let query = analysis.expandedQuery([
            .environment: rollout.spec.environment, .service: rollout.service.name, .container: canary.name,
            .replica: String(canary.index),
        ])
        let value: Double?
        do {
            value = try await metrics.value(of: query)
        } catch {
            throw DockerProviderError("canary \(canary.name) failed its analysis: \(error)")
        }
        guard let value else {
            throw DockerProviderError(
                "canary \(canary.name) failed its analysis: query `\(query)` returned no data (add `or vector(0)` if no series means 0)")
        }
        rollout.logger.info(
            "Canary analysis", metadata: ["container": "\(canary.name)", "query": "\(query)", "value": "\(value)"])
        if let violation = analysis.violation(of: value) {
            throw DockerProviderError("canary \(canary.name) failed its analysis: query `\(query)` \(violation)")
        }
    }

    /// Stops and removes containers (already-gone ones are fine).
    func remove(_ containers: [ContainerSummary], logger: Logger) async throws {
        for container in containers {
            logger.info("Removing container", metadata: ["container": "\(container.name)"])
            try await client.removeContainer(container.id, force: true)
        }
    }
}
