import ShipshapeManifest

/// An EC2 instance as the manifests want it; the desired payload of `instance/NAME`.
struct InstanceSpec: Sendable {
    var id: ResourceID
    var environment: String
    var region: String
    var instanceType: String
    /// Tags that must be present (the manifest's, plus the ownership tags unless adopted).
    var tags: [String: String]
    var locator: EC2Locator

    init(environment: Environment, instance: Instance, region: String) {
        id = ResourceID(.instance, instance.name)
        self.environment = environment.name
        self.region = region
        instanceType = instance.type
        locator = EC2Locator(instance.adopt)
        var tags = instance.tags
        if !locator.isAdopted {
            tags.merge(Ownership.labels(environment: environment.name, resource: id)) { _, owned in owned }
        }
        self.tags = tags
    }

    var attributes: Attributes {
        ["type": .string(instanceType), "tags": .map(tags.mapValues { .string($0) })]
    }
}
