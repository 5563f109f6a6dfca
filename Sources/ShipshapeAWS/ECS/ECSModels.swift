import Foundation

/// An ECS service as DescribeServices reports it.
public struct ECSService: Sendable, Hashable {
    /// One deployment of the service (`PRIMARY` is the newest, `ACTIVE` ones are draining).
    public struct Deployment: Sendable, Hashable, Decodable {
        public var id: String?
        public var status: String?
        public var taskDefinition: String?
        public var desiredCount: Int?
        public var runningCount: Int?
        public var pendingCount: Int?
        public var failedTasks: Int?
        public var rolloutState: String?
        public var rolloutStateReason: String?
    }
    public var serviceARN: String
    public var serviceName: String
    public var clusterARN: String?
    public var status: String
    public var taskDefinition: String
    public var desiredCount: Int
    public var runningCount: Int
    public var pendingCount: Int
    public var deployments: [Deployment]

    /// The `PRIMARY` deployment (the newest one), if any.
    public var primaryDeployment: Deployment? { deployments.first { $0.status == "PRIMARY" } }

    /// Settled: a single deployment, on the service's task definition, running the desired count,
    /// and not reported as failed. (moto keeps a stale `PRIMARY` entry after UpdateService, so against
    /// moto a settle check must also compare the deployment's task definition, as this does.)
    public var isSettled: Bool {
        guard deployments.count == 1, let primary = deployments.first else { return false }
        return primary.taskDefinition == taskDefinition && (primary.runningCount ?? 0) == desiredCount
            && primary.rolloutState != "FAILED"
    }
}

/// An ECS cluster.
public struct ECSCluster: Sendable, Hashable, Decodable {
    public var clusterArn: String?
    public var clusterName: String?
    public var status: String?
    public var activeServicesCount: Int?
    public var runningTasksCount: Int?
    public var registeredContainerInstancesCount: Int?
}

/// A task definition, kept as its full JSON so a new revision keeps every field.
public struct ECSTaskDefinition: Sendable, Hashable {
    /// The document DescribeTaskDefinition returned under `taskDefinition`.
    public var document: JSONValue

    public init(document: JSONValue) { self.document = document }

    public var arn: String? { document["taskDefinitionArn"]?.stringValue }
    public var family: String? { document["family"]?.stringValue }
    public var revision: Int? { document["revision"]?.intValue }

    /// `(container name, image)` for each container definition.
    public var containerImages: [(name: String, image: String)] {
        (document["containerDefinitions"]?.arrayValue ?? []).map {
            ($0["name"]?.stringValue ?? "", $0["image"]?.stringValue ?? "")
        }
    }

    /// A copy with the image of `container` (or of every container when nil) replaced.
    public func replacingImage(with image: String, container: String? = nil) -> ECSTaskDefinition {
        var copy = self
        guard case .array(let containers) = document["containerDefinitions"] ?? .null else { return copy }
        copy.document["containerDefinitions"] = .array(
            containers.map { definition in
                var definition = definition
                if container == nil || definition["name"]?.stringValue == container { definition["image"] = .string(image) }
                return definition
            })
        return copy
    }

    /// The fields RegisterTaskDefinition accepts; the read-only ones DescribeTaskDefinition adds
    /// (`taskDefinitionArn`, `revision`, `status`, `registeredAt`, …) are dropped.
    var registrationInput: JSONValue {
        let readOnly: Set<String> = [
            "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt",
            "registeredBy", "deregisteredAt",
        ]
        guard case .object(let object) = document else { return document }
        return .object(object.filter { !readOnly.contains($0.key) })
    }
}
