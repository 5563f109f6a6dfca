import Foundation

/// ECS: services, task definitions and deployments.
public struct ECSClient: Sendable {
    public let client: AWSClient
    public init(client: AWSClient) { self.client = client }

    private struct ServiceJSON: Decodable {
        var serviceArn: String?
        var serviceName: String?
        var clusterArn: String?
        var status: String?
        var taskDefinition: String?
        var desiredCount: Int?
        var runningCount: Int?
        var pendingCount: Int?
        var deployments: [ECSService.Deployment]?

        var model: ECSService {
            ECSService(
                serviceARN: serviceArn ?? "", serviceName: serviceName ?? "", clusterARN: clusterArn, status: status ?? "",
                taskDefinition: taskDefinition ?? "", desiredCount: desiredCount ?? 0, runningCount: runningCount ?? 0,
                pendingCount: pendingCount ?? 0, deployments: deployments ?? [])
        }
    }
    private struct Failure: Decodable {
        var arn: String?
        var reason: String?
    }

    /// The services named in `services` (names or ARNs), 10 per call as ECS allows. Services ECS
    /// reports as failures (`MISSING`) are left out of the result and listed in `missing`.
    public func describeServices(cluster: String, services: [String]) async throws -> (services: [ECSService], missing: [String]) {
        struct Input: Encodable {
            var cluster: String
            var services: [String]
        }
        struct Output: Decodable {
            var services: [ServiceJSON]?
            var failures: [Failure]?
        }
        var found: [ECSService] = []
        var missing: [String] = []
        for start in stride(from: 0, to: services.count, by: 10) {
            let batch = Array(services[start..<min(start + 10, services.count)])
            let output = try await client.json(.ecsDescribeServices, Input(cluster: cluster, services: batch), as: Output.self)
            found += (output.services ?? []).map(\.model)
            missing += (output.failures ?? []).map { "\($0.arn ?? "?"): \($0.reason ?? "unknown")" }
        }
        return (found, missing)
    }

    /// The ARNs of every service in `cluster`.
    public func listServices(cluster: String) async throws -> [String] {
        struct Input: Encodable {
            var cluster: String
            var nextToken: String?
            var maxResults: Int
        }
        struct Output: Decodable {
            var serviceArns: [String]?
            var nextToken: String?
        }
        return try await paginate(.ecsListServices) { token in
            let output = try await client.json(
                .ecsListServices, Input(cluster: cluster, nextToken: token, maxResults: 100), as: Output.self)
            return (output.serviceArns ?? [], output.nextToken)
        }
    }

    /// Clusters by name or ARN.
    public func describeClusters(_ clusters: [String]) async throws -> [ECSCluster] {
        struct Input: Encodable { var clusters: [String] }
        struct Output: Decodable { var clusters: [ECSCluster]? }
        return try await client.json(.ecsDescribeClusters, Input(clusters: clusters), as: Output.self).clusters ?? []
    }

    /// A task definition by `family`, `family:revision` or ARN.
    public func describeTaskDefinition(_ taskDefinition: String) async throws -> ECSTaskDefinition {
        struct Input: Encodable { var taskDefinition: String }
        struct Output: Decodable { var taskDefinition: JSONValue? }
        let output = try await client.json(.ecsDescribeTaskDefinition, Input(taskDefinition: taskDefinition), as: Output.self)
        guard let document = output.taskDefinition else {
            throw AWSError(
                code: AWSError.Code.malformedResponse.rawValue, message: "no taskDefinition for \(taskDefinition)",
                service: "ecs", operation: "DescribeTaskDefinition", classification: .client)
        }
        return ECSTaskDefinition(document: document)
    }

    /// Registers `definition` as a new revision of its family and returns it (with ARN and revision).
    public func registerTaskDefinition(_ definition: ECSTaskDefinition) async throws -> ECSTaskDefinition {
        struct Output: Decodable { var taskDefinition: JSONValue? }
        let output = try await client.json(.ecsRegisterTaskDefinition, definition.registrationInput, as: Output.self)
        guard let document = output.taskDefinition else {
            throw AWSError(
                code: AWSError.Code.malformedResponse.rawValue,
                message: "RegisterTaskDefinition for \(definition.family ?? "?") returned no taskDefinition",
                service: "ecs", operation: "RegisterTaskDefinition", classification: .client)
        }
        return ECSTaskDefinition(document: document)
    }

    /// Points `service` at `taskDefinition` (and optionally a new desired count); returns the service.
    @discardableResult
    public func updateService(
        cluster: String, service: String, taskDefinition: String? = nil, desiredCount: Int? = nil,
        forceNewDeployment: Bool? = nil
    ) async throws -> ECSService {
        struct Input: Encodable {
            var cluster: String
            var service: String
            var taskDefinition: String?
            var desiredCount: Int?
            var forceNewDeployment: Bool?
        }
        struct Output: Decodable { var service: ServiceJSON? }
        let output = try await client.json(
            .ecsUpdateService,
            Input(
                cluster: cluster, service: service, taskDefinition: taskDefinition, desiredCount: desiredCount,
                forceNewDeployment: forceNewDeployment),
            as: Output.self)
        guard let updated = output.service else {
            throw AWSError(
                code: AWSError.Code.malformedResponse.rawValue, message: "UpdateService for \(service) returned no service",
                service: "ecs", operation: "UpdateService", classification: .client)
        }
        return updated.model
    }
}
