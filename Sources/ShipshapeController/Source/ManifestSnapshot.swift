public import ShipshapeManifest

/// The manifests of one revision, decoded and validated once and shared by every environment.
public struct ManifestSnapshot: Sendable {
    /// The commit id, or a content digest for a folder that is not a Git checkout.
    public var revision: String
    public var bundle: ManifestBundle

    public init(revision: String, bundle: ManifestBundle) {
        self.revision = revision
        self.bundle = bundle
    }
}
