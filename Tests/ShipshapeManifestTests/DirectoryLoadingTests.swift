import Foundation
import Testing
@testable import ShipshapeManifest

@Suite("Loading a manifests folder")
struct DirectoryLoadingTests {
    /// A fresh folder under the system temporary directory, removed after `body`.
    private func withFolder(_ body: (String) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shipshape-manifest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try body(root)
    }

    private func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("reads *.yaml and *.yml recursively, skipping schema/, hidden files, other files and links leading outside")
    func selection() throws {
        try withFolder { root in
            let env = { (name: String) in
                "apiVersion: shipshape.io/v1\nkind: Environment\nmetadata: { name: \(name) }\nspec: {}\n"
            }
            try write(env("dev"), to: "\(root)/manifests/dev.yaml")
            try write(env("qa"), to: "\(root)/manifests/qa/qa.yml")
            try write("not: [valid", to: "\(root)/manifests/schema/broken.yaml")
            try write("not: [valid", to: "\(root)/manifests/.hidden.yaml")
            try write("not: [valid", to: "\(root)/manifests/.git/config.yaml")
            try write("not yaml at all: [", to: "\(root)/manifests/README.md")
            try write(env("outside"), to: "\(root)/outside.yaml")
            try FileManager.default.createSymbolicLink(atPath: "\(root)/manifests/linked.yaml", withDestinationPath: "\(root)/outside.yaml")
            let bundle = try ManifestLoader.load(directory: "\(root)/manifests")
            #expect(bundle.diagnostics == [])
            #expect(bundle.environmentNames == ["dev", "qa"])
        }
    }

    @Test("a file over the size limit is refused without reading it whole")
    func oversized() throws {
        try withFolder { root in
            let big = String(repeating: "# padding padding padding padding padding padding padding\n", count: 40_000)
            try write(big, to: "\(root)/big.yaml")
            let bundle = try ManifestLoader.load(directory: root)
            #expect(bundle.diagnostics.map(\.description) == [
                "big.yaml:1:1: error: file is larger than the limit of 1048576 bytes (hint: split the environment into several files in a folder named after it)"
            ])
        }
    }

    @Test("a missing folder is an error, not an empty bundle")
    func missingFolder() {
        #expect(throws: ManifestLoader.DirectoryError.self) {
            try ManifestLoader.load(directory: "/nonexistent/shipshape-\(UUID().uuidString)")
        }
    }

    @Test("several documents in one file")
    func multiDocument() throws {
        let text = """
            apiVersion: shipshape.io/v1
            kind: Base
            spec: { policy: { maxChanges: 3 } }
            ---
            apiVersion: shipshape.io/v1
            kind: Environment
            metadata: { name: dev }
            spec: { services: { web: { runtime: docker, image: nginx, tag: "1" } } }
            ---
            apiVersion: shipshape.io/v1
            kind: Environment
            metadata: { name: qa }
            spec: { policy: { maxChanges: 9 }, services: { web: { runtime: docker, image: nginx, tag: "1", replicas: x } } }
            """
        let bundle = ManifestLoader.load([ManifestSource(path: "all.yaml", text: text)])
        #expect(bundle.environmentNames == ["dev", "qa"])
        #expect(bundle.environments["dev"]?.spec.policy.maxChanges == 3)
        #expect(bundle.diagnostics.map(\.description) == ["all.yaml:13:106: error: services.web.replicas must be an integer, found a string 'x'"])
        #expect(bundle.diagnostics(for: "dev") == [])
    }

    @Test("documents without a usable header are reported and block every environment")
    func headers() {
        let bundle = ManifestLoader.load([
            ManifestSource(path: "a.yaml", text: "kind: Environment\nmetadata: { name: dev }\n"),
            ManifestSource(path: "b.yaml", text: "apiVersion: shipshape.io/v2\nkind: Deployment\n"),
            ManifestSource(path: "c.yaml", text: "apiVersion: shipshape.io/v1\nkind: Environment\nmetadata: { name: Prod }\n"),
            ManifestSource(path: "d.yaml", text: "- just\n- a list\n"),
            ManifestSource(path: "e.yaml", text: ""),
        ])
        #expect(bundle.diagnostics.map(\.description) == [
            "a.yaml:1:1: error: the document has no apiVersion (hint: add apiVersion: shipshape.io/v1)",
            "b.yaml:1:13: error: apiVersion 'shipshape.io/v2' is not supported (hint: use apiVersion: shipshape.io/v1)",
            "b.yaml:2:7: error: kind 'Deployment' is not one of: Base, Environment",
            "c.yaml:3:19: error: environment name 'Prod' is invalid (hint: use 1-63 lowercase letters, digits and '-', starting with a letter)",
            "d.yaml:1:1: error: the document must be a mapping, found a list",
        ])
        #expect(bundle.environmentNames == ["dev"])
        #expect(bundle.environments.isEmpty)
    }
}
