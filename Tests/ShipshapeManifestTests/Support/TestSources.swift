import Foundation
@testable import ShipshapeManifest

/// Paths and source builders shared by the manifest tests.
enum TestSources {
    /// The repository's `manifests/` folder (the example config repo content).
    static var manifestsDirectory: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // ShipshapeManifestTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("manifests")
            .path
    }

    /// The fixtures folder copied into the test bundle.
    static var fixturesDirectory: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path
    }

    static func source(_ path: String, _ text: String) -> ManifestSource {
        ManifestSource(path: path, text: text)
    }

    /// A minimal valid environment document around `spec` (indented by the caller as YAML under `spec:`).
    static func environment(_ name: String, spec: String) -> String {
        """
        apiVersion: shipshape.io/v1
        kind: Environment
        metadata: { name: \(name) }
        spec:
        \(spec)
        """
    }
}
