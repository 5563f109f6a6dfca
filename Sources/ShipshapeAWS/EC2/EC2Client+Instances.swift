import Foundation

extension EC2Client {
    /// Instances by id and/or filters (all of them when both are empty), following every page.
    public func describeInstances(instanceIDs: [String] = [], filters: [EC2Filter] = []) async throws -> [EC2Instance] {
        try await paginate(.ec2DescribeInstances) { token in
            var parameters = QueryParameters()
            parameters.addList("InstanceId", instanceIDs)
            Self.addFilters(filters, to: &parameters)
            // EC2 refuses MaxResults together with InstanceId.
            if instanceIDs.isEmpty { parameters.add("MaxResults", pageSize) }
            parameters.add("NextToken", token)
            let root = try await client.query(.ec2DescribeInstances, parameters)
            let instances = root.list("reservationSet").flatMap { reservation in
                let reservationID = reservation.string("reservationId") ?? ""
                return reservation.list("instancesSet").map { EC2Instance(xml: $0, reservationID: reservationID) }
            }
            return (instances, root.string("nextToken"))
        }
    }

    /// Stops instances; returns their state transitions.
    @discardableResult
    public func stopInstances(_ instanceIDs: [String]) async throws -> [InstanceStateChange] {
        var parameters = QueryParameters()
        parameters.addList("InstanceId", instanceIDs)
        let root = try await client.query(.ec2StopInstances, parameters)
        return Self.stateChanges(root)
    }

    /// Starts instances; returns their state transitions.
    @discardableResult
    public func startInstances(_ instanceIDs: [String]) async throws -> [InstanceStateChange] {
        var parameters = QueryParameters()
        parameters.addList("InstanceId", instanceIDs)
        let root = try await client.query(.ec2StartInstances, parameters)
        return Self.stateChanges(root)
    }

    /// Changes the instance type. AWS requires the instance to be stopped (moto does not check: the
    /// caller must stop and wait first).
    public func modifyInstanceType(_ instanceID: String, to instanceType: String) async throws {
        var parameters = QueryParameters()
        parameters.add("InstanceId", instanceID)
        parameters.add("InstanceType.Value", instanceType)
        _ = try await client.query(.ec2ModifyInstanceAttribute, parameters)
    }

    /// Polls DescribeInstances every `pollInterval` until every instance in `instanceIDs` is in
    /// `state`; fails with `WaiterTimeout` after `timeout` (naming the instances that are not there
    /// yet and their state), or at once if an instance is terminated while waiting for another state.
    @discardableResult
    public func waitUntil(
        _ instanceIDs: [String], are state: InstanceState, timeout: Duration, pollInterval: Duration = .seconds(5)
    ) async throws -> [EC2Instance] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let instances = try await describeInstances(instanceIDs: instanceIDs)
            let lagging = instances.filter { $0.state != state }
            if lagging.isEmpty && instances.count == Set(instanceIDs).count { return instances }
            if state != .terminated, let gone = lagging.first(where: { $0.state == .terminated }) {
                throw AWSError(
                    code: AWSError.Code.waiterTimeout.rawValue,
                    message: "instance \(gone.instanceID) was terminated while waiting for \(state.rawValue)",
                    service: "ec2", operation: "DescribeInstances", classification: .client)
            }
            if clock.now >= deadline {
                let detail = lagging.map { "\($0.instanceID) is \($0.stateName)" }.joined(separator: ", ")
                throw AWSError(
                    code: AWSError.Code.waiterTimeout.rawValue,
                    message: "instances did not reach \(state.rawValue) within \(timeout): \(detail)",
                    service: "ec2", operation: "DescribeInstances", classification: .transient)
            }
            try await client.configuration.sleep(pollInterval)
        }
    }

    static func stateChanges(_ root: XMLElementNode) -> [InstanceStateChange] {
        root.list("instancesSet").map { item in
            InstanceStateChange(
                instanceID: item.string("instanceId") ?? "",
                previousState: item.path("previousState", "name")?.text ?? "",
                currentState: item.path("currentState", "name")?.text ?? "")
        }
    }
}
