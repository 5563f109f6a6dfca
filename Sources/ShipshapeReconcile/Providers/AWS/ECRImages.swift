import ShipshapeManifest

/// Which image references live in ECR, and how the `image` resources are named.
enum ECRImages {
    /// An ECR image: registry id (account), repository and the tag or digest to find.
    struct Reference: Sendable, Hashable {
        var registryID: String
        var repository: String
        var tag: String?
        var digest: String?
        /// The full reference as the manifest wrote it.
        var text: String

        var resourceID: ResourceID { ResourceID(.image, text) }
    }

    /// The ECR reference for `image`, or nil when its registry is not ECR
    /// (`ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]`).
    static func reference(_ image: ImageReference) -> Reference? {
        guard let registry = image.registry else { return nil }
        let host = registry.split(separator: ":").first.map(String.init) ?? registry
        let labels = host.split(separator: ".")
        guard labels.count >= 6, labels[1] == "dkr", labels[2] == "ecr", labels[4] == "amazonaws",
            labels[0].allSatisfy(\.isNumber)
        else { return nil }
        guard image.tag != nil || image.digest != nil else { return nil }
        return Reference(
            registryID: String(labels[0]), repository: image.repository, tag: image.tag, digest: image.digest,
            text: image.description)
    }
}
