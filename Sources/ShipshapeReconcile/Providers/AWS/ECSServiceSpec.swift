import ShipshapeManifest

/// An ECS service as the manifests want it; the desired payload of `ecs-service/NAME`.
///
/// The ECS service is named like the manifest's service and lives in `ecs.cluster`; its task
/// definition's container named like the service (or its only container) runs `image`.
struct ECSServiceSpec: Sendable, Hashable {
    var id: ResourceID
    var region: String
    var cluster: String
    var serviceName: String
    var image: String
    var desiredCount: Int

    var attributes: Attributes {
        ["image": .string(image), "desired-count": .int(desiredCount)]
    }
}

/// Where an ECS service is found.
struct ECSTarget: Sendable, Hashable {
    var cluster: String
    var serviceName: String
}
