import Foundation
import Logging
import ShipshapeDocker
import ShipshapeManifest

extension DockerServiceProvider {
    /// Blue/green: the new (green) set starts beside the running (blue) set in the other slot, on
    /// ports `slotPortOffset` apart; when every green replica is healthy the traffic switch moves the
    /// traffic to green. Blue keeps running for `strategy.keepBlueFor` (a commit that goes back to
    /// it switches back at once, without new containers), then a later cycle removes it. A failure
    /// before the switch removes green and leaves blue in traffic; a failed switch is switched back.
    func blueGreenUpdate(_ rollout: Rollout, observed: ObservedService?) async throws {
        let spec = rollout.spec
        let logger = rollout.logger
        let switcher = try trafficSwitch(for: spec)
        let strategy = spec.service.strategy
        let route = TrafficRoute(
            environment: spec.environment, service: spec.service.name, targetGroupArn: strategy.targetGroupArn)
        let wanted = spec.specLabel
        let containers = observed?.containers ?? []
        let drifted = Set(observed?.drift.keys.map { $0 } ?? [])
        let active = observed?.active ?? []
        let retired = observed?.retired ?? []

        // The wanted set already runs complete in one slot (a retry after the switch, or a commit
        // that goes back to the blue version): switch to it and retire what is not kept.
        for slot in [0, 1] {
            let set = containers.filter {
                $0.isRunning && observed?.slot($0) == slot && $0.labels[Label.spec] == wanted && !drifted.contains($0.id)
            }
            guard Set(set.compactMap { observed?.replicaIndex($0) }) == Set(0..<spec.service.replicas),
                set.count == spec.service.replicas
            else { continue }
            try await switchTraffic(switcher, route: route, to: endpoints(rollout, slot: slot), logger: logger)
            let setIDs = Set(set.map(\.id))
            // Switching away from the active set is a rollback: that set is not worth keeping.
            let switchedAway = active.contains { !setIDs.contains($0.id) } ? active : []
            let leaving = (retired + switchedAway).filter { !setIDs.contains($0.id) }
            try await remove(Array(Set(leaving.map(\.id))).compactMap { id in containers.first { $0.id == id } }, logger: logger)
            return
        }

        // Blue is the set in traffic: as the switch reports it, else the newest running set. (After a
        // crash between starting green and switching, the newest set is a green that never served.)
        let blueSlot =
            await slotInTraffic(switcher, route: route, rollout: rollout, logger: logger)
            ?? active.first.flatMap { observed?.slot($0) }
        let blue = containers.filter { $0.isRunning && blueSlot != nil && observed?.slot($0) == blueSlot }
        let greenSlot = blueSlot == 0 ? 1 : 0
        // Whatever occupies the green slot is not in traffic: an older kept set or a failed attempt.
        try await remove(containers.filter { observed?.slot($0) == greenSlot }, logger: logger)
        // Blue stays `keepBlueFor` after the switch. The label goes on green before green starts, so
        // it names now + the longest the way to the switch may take + keepBlueFor.
        let retireBlueAfter = options.now().addingTimeInterval(
            Self.seconds(greenBudget(rollout, switcher: switcher) + strategy.keepBlueFor)
        ).timeIntervalSince1970.rounded(.up)
        let labels = [Label.retirePreviousAfter: String(Int(retireBlueAfter))]
        var green: [NewReplica] = []
        do {
            for index in 0..<spec.service.replicas {
                green.append(try await createReplica(rollout, index: index, slot: greenSlot, extraLabels: labels))
            }
            try await startHealthy(green, rollout: rollout)
        } catch {
            logger.error(
                "Green set unhealthy, removing it; traffic stays on blue",
                metadata: ["resource": "\(spec.resourceID)", "image": "\(spec.service.image)", "error": "\(error)"])
            for replica in green { try? await client.removeContainer(replica.id, force: true) }
            throw DockerProviderError(
                "\(spec.resourceID): blue/green rollout of \(spec.service.image) failed before the switch: \(error); green removed, traffic stays on \(blue.first?.image ?? "nothing")"
            )
        }
        logger.info("Green set healthy, switching traffic", metadata: ["resource": "\(spec.resourceID)", "slot": "\(greenSlot)"])
        do {
            try await switchTraffic(switcher, route: route, to: endpoints(rollout, slot: greenSlot), logger: logger)
        } catch {
            if let blueSlot {
                try? await switcher.route(route, to: endpoints(rollout, slot: blueSlot), logger: logger)
            }
            for replica in green { try? await client.removeContainer(replica.id, force: true) }
            throw DockerProviderError(
                "\(spec.resourceID): switching traffic to the green set failed: \(error); switched back to blue, green removed")
        }
        let blueIDs = Set(blue.map(\.id))
        var leaving = retired.filter { !blueIDs.contains($0.id) }
        let keepUntil = Date(timeIntervalSince1970: retireBlueAfter)
        if strategy.keepBlueFor <= .zero {
            leaving += blue
        } else if !blue.isEmpty {
            logger.info(
                "Keeping blue for rollback",
                metadata: ["resource": "\(spec.resourceID)", "until": "\(keepUntil)", "containers": "\(blue.count)"])
            if options.now().addingTimeInterval(Self.seconds(strategy.keepBlueFor)) > keepUntil {
                logger.warning(
                    "The rollout took longer than its budget; blue is kept less than keepBlueFor after the switch",
                    metadata: ["resource": "\(spec.resourceID)", "until": "\(keepUntil)"])
            }
        }
        try await remove(leaving.filter { observed?.slot($0) != greenSlot }, logger: logger)
    }

    /// The longest the way from green's creation to the end of the switch may take: creating each
    /// replica (5 s each), starting and health-checking them `options.inspectConcurrency` at a time
    /// (the health timeout plus 5 s for the last check, per wave), and the switch's own budget.
    func greenBudget(_ rollout: Rollout, switcher: any TrafficSwitch) -> Duration {
        let service = rollout.service
        let replicas = max(1, service.replicas)
        let concurrency = max(1, options.inspectConcurrency)
        let waves = (replicas + concurrency - 1) / concurrency
        let probe = service.strategy.kind == .rolling ? nil : service.strategy.probe
        let healthTimeout = HealthProbe.timeout(health: service.health, probe: probe)
        return .seconds(5) * replicas + (healthTimeout + .seconds(5)) * waves + switcher.switchBudget
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The traffic switch for a blue/green service: the target-group switch when the manifest names
    /// a target group, else the local one.
    func trafficSwitch(for spec: DockerServiceSpec) throws -> any TrafficSwitch {
        if let arn = spec.service.strategy.targetGroupArn {
            guard let switcher = options.targetGroupTrafficSwitch else {
                throw DockerProviderError(
                    "\(spec.resourceID): blueGreen names target group \(arn) but the controller has no ELBv2 traffic switch configured (docker.targetGroup, see docs/docker-runtime.md); nothing was changed"
                )
            }
            return switcher
        }
        guard let switcher = options.localTrafficSwitch else {
            throw DockerProviderError(
                "\(spec.resourceID): blueGreen needs a traffic switch: name strategy.targetGroupArn or configure the local switch (docker.trafficSwitch, see docs/docker-runtime.md); nothing was changed"
            )
        }
        return switcher
    }

    /// Where a set's traffic goes: per replica, the published host port of the service's traffic
    /// port (the health check's port, else the first TCP port).
    func endpoints(_ rollout: Rollout, slot: Int) -> [TrafficEndpoint] {
        let service = rollout.service
        let tcp = service.ports.filter { $0.protocol == .tcp }
        guard let port = service.health?.port.flatMap({ wanted in tcp.first { $0.containerPort == wanted } }) ?? tcp.first
        else { return [] }
        return (0..<service.replicas).map { index in
            TrafficEndpoint(
                host: HealthProbe.loopbackHost(port.hostIP),
                port: rollout.spec.hostPort(port.hostPort, replica: index, slot: slot, slotOffset: rollout.slotOffset))
        }
    }

    /// The slot whose endpoints the switch reports in traffic; nil when it cannot tell or the
    /// endpoints match neither slot (the ports changed with the new spec).
    private func slotInTraffic(
        _ switcher: any TrafficSwitch, route: TrafficRoute, rollout: Rollout, logger: Logger
    ) async -> Int? {
        let current: [TrafficEndpoint]?
        do {
            current = try await switcher.currentEndpoints(route)
        } catch {
            logger.warning("Cannot tell where traffic goes; taking the newest set", metadata: ["route": "\(route)", "error": "\(error)"])
            return nil
        }
        guard let ports = current.map({ Set($0.map(\.port)) }), !ports.isEmpty else { return nil }
        return [0, 1].first { slot in ports.isSubset(of: Set(endpoints(rollout, slot: slot).map(\.port))) }
    }

    private func switchTraffic(
        _ switcher: any TrafficSwitch, route: TrafficRoute, to endpoints: [TrafficEndpoint], logger: Logger
    ) async throws {
        logger.info(
            "Switching traffic", metadata: ["route": "\(route)", "endpoints": "\(endpoints.map(\.description).joined(separator: ","))"])
        try await switcher.route(route, to: endpoints, logger: logger)
    }
}
