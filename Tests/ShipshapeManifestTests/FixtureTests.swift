import Foundation
import Testing
@testable import ShipshapeManifest

/// Table-driven reference tests: every folder under `Fixtures/` is a manifests root whose
/// diagnostics must equal its committed `expected.txt` (see Fixtures/README.md).
@Suite("Fixture cases with reference diagnostics")
struct FixtureTests {
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestSources.fixturesDirectory)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let path = TestSources.fixturesDirectory + "/" + name
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }()

    @Test("the fixtures folder holds the cases")
    func casesExist() {
        #expect(Self.cases.count >= 15, "fixture cases found: \(Self.cases)")
    }

    @Test("diagnostics match expected.txt", arguments: cases)
    func fixture(name: String) throws {
        let folder = TestSources.fixturesDirectory + "/" + name
        let strict = FileManager.default.fileExists(atPath: folder + "/strict")
        let bundle = try ManifestLoader.load(directory: folder, options: ManifestOptions(strict: strict))
        let actual = bundle.diagnostics.map { $0.description + "\n" }.joined()

        if ProcessInfo.processInfo.environment["SHIPSHAPE_RECORD_FIXTURES"] == "1" {
            let sourceFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures").appendingPathComponent(name)
            try actual.write(to: sourceFolder.appendingPathComponent("expected.txt"), atomically: true, encoding: .utf8)
            return
        }
        let expectedPath = folder + "/expected.txt"
        let expected = try #require(
            FileManager.default.contents(atPath: expectedPath).map { String(decoding: $0, as: UTF8.self) },
            "missing \(expectedPath); record it with SHIPSHAPE_RECORD_FIXTURES=1"
        )
        #expect(actual == expected)
        // A case is valid exactly when it expects no error, and then every environment decodes.
        if !expected.contains(": error: ") {
            #expect(bundle.environments.count == bundle.environmentNames.count)
        }
    }
}
