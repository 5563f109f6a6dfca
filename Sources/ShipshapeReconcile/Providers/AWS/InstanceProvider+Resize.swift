import Logging
import ShipshapeAWS

extension InstanceProvider {
    /// Type first (stop → wait stopped → modify → start → wait running), then tags.
    func converge(_ spec: InstanceSpec, instance: EC2Instance, ec2: EC2Client, logger: Logger) async throws {
        if instance.instanceType != spec.instanceType || instance.tags[Self.restartTag] != nil {
            try await resize(spec, instance: instance, ec2: ec2, logger: logger)
        }
        let missingTags = spec.tags.filter { instance.tags[$0.key] != $0.value }
        if !missingTags.isEmpty {
            try await ec2.createTags(resourceIDs: [instance.instanceID], tags: missingTags)
            logger.info("Tagged instance", metadata: ["instance": "\(instance.instanceID)", "keys": "\(missingTags.keys.sorted())"])
        }
    }

    /// Changes the type of a stopped instance. A running instance is stopped first and started again
    /// afterwards; the restart tag records that intent, so a change interrupted between stop and start
    /// is finished by the next attempt. An instance that was stopped stays stopped.
    private func resize(_ spec: InstanceSpec, instance: EC2Instance, ec2: EC2Client, logger: Logger) async throws {
        let id = instance.instanceID
        var state = instance.state
        if state == .pending {
            try await wait(spec, id, .running, ec2: ec2)
            state = .running
        } else if state == .stopping {
            try await wait(spec, id, .stopped, ec2: ec2)
            state = .stopped
        }
        let restart = state == .running || instance.tags[Self.restartTag] != nil
        if state == .running {
            try await ec2.createTags(resourceIDs: [id], tags: [Self.restartTag: instance.instanceType])
            logger.notice(
                "Stopping instance for a type change",
                metadata: ["instance": "\(id)", "from": "\(instance.instanceType)", "to": "\(spec.instanceType)"])
            try await ec2.stopInstances([id])
            try await wait(spec, id, .stopped, ec2: ec2)
        } else if state != .stopped {
            throw AWSProviderError.unsupported(
                spec.id, "instance \(id) is \(instance.stateName); its type can only be changed when it is running or stopped")
        }
        if instance.instanceType != spec.instanceType {
            try await ec2.modifyInstanceType(id, to: spec.instanceType)
            logger.notice("Changed instance type", metadata: ["instance": "\(id)", "type": "\(spec.instanceType)"])
        }
        if restart {
            try await ec2.startInstances([id])
            try await wait(spec, id, .running, ec2: ec2)
            try await ec2.deleteTags(resourceIDs: [id], keys: [Self.restartTag])
            logger.notice("Instance running again", metadata: ["instance": "\(id)"])
        }
    }

    private func wait(_ spec: InstanceSpec, _ id: String, _ state: InstanceState, ec2: EC2Client) async throws {
        do {
            try await ec2.waitUntil([id], are: state, timeout: options.instanceStateTimeout, pollInterval: options.pollInterval)
        } catch let error as AWSError where error.is(.waiterTimeout) {
            throw AWSProviderError.timeout(
                spec.id,
                "instance \(id) did not become \(state.rawValue) within \(options.instanceStateTimeout) (\(error.message)); "
                    + "the type change resumes next cycle")
        }
    }
}
