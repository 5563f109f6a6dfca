import Crypto
import ShipshapeManifest
import ShipshapeReconcile

/// Manifests read from a folder on disk (a checkout in CI), for `validate`, `plan` and `apply`
/// without a daemon.
///
/// The revision is `dir-` and a digest of what the folder means — every environment rendered in
/// canonical form plus the diagnostics — so an edit that changes an environment changes the
/// revision, and reformatting a file does not.
public enum DirectoryManifestSource {
    public static func load(directory: String) throws -> ManifestSnapshot {
        let bundle = try ManifestLoader.load(directory: directory)
        var hasher = SHA256()
        for name in bundle.environmentNames {
            hasher.update(data: Array(name.utf8))
            hasher.update(data: [0])
            if let environment = bundle.environments[name] {
                hasher.update(data: Array(ManifestRenderer.render(environment).utf8))
            }
            hasher.update(data: [0])
        }
        for diagnostic in bundle.diagnostics {
            hasher.update(data: Array(diagnostic.description.utf8))
            hasher.update(data: [0])
        }
        return ManifestSnapshot(revision: "dir-" + hexString(hasher.finalize().prefix(20)), bundle: bundle)
    }
}
