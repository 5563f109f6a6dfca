import Testing
@testable import ShipshapeManifest

/// Hostile or broken input is refused with one clear diagnostic, in bounded time, without a crash.
@Suite("Hostile input")
struct HostileInputTests {
    /// Generous bound: these inputs are refused in milliseconds; the bound only catches a blow-up.
    static let bound = Duration.seconds(10)

    private func refuse(_ bytes: [UInt8], path: String = "evil.yaml") -> (ManifestBundle, Duration) {
        let clock = ContinuousClock()
        var bundle: ManifestBundle?
        let elapsed = clock.measure {
            bundle = ManifestLoader.load([ManifestSource(path: path, contents: bytes)])
        }
        return (bundle!, elapsed)
    }

    @Test("a billion-laughs alias bomb is refused by the expansion budget")
    func aliasBomb() {
        var text = "apiVersion: shipshape.io/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "  a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let (bundle, elapsed) = refuse(Array(text.utf8))
        #expect(elapsed < Self.bound)
        #expect(bundle.diagnostics.count == 1)
        let diagnostic = bundle.diagnostics.first
        #expect(diagnostic?.message == "the document expands to more than 1000000 nodes (aliases included)")
        #expect(diagnostic?.file == "evil.yaml")
        #expect(bundle.environments.isEmpty)
    }

    @Test("an alias bomb used as a mapping key is refused before the YAML composer hashes it")
    func aliasBombAsKey() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x]\n"
        for level in 1...12 {
            text += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 8).joined(separator: ", "))]\n"
        }
        text += "? *a12\n: boom\n"
        let (bundle, elapsed) = refuse(Array(text.utf8))
        #expect(elapsed < Self.bound)
        #expect(bundle.diagnostics.map(\.line) == [14])
        #expect(bundle.diagnostics.first?.message.contains("complex mapping keys") == true)
    }

    @Test("the alias count is limited")
    func tooManyAliases() {
        var text = "x: &x 1\nlist:\n"
        for _ in 0..<10_001 { text += "  - *x\n" }
        let (bundle, elapsed) = refuse(Array(text.utf8))
        #expect(elapsed < Self.bound)
        #expect(bundle.diagnostics.first?.message == "the document uses more than 10000 aliases")
        #expect(bundle.diagnostics.first?.line == 10_003)
    }

    @Test("deep flow nesting is refused before the recursive composer sees it")
    func deepFlowNesting() {
        let text = "spec: " + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "\n"
        let (bundle, elapsed) = refuse(Array(text.utf8))
        #expect(elapsed < Self.bound)
        #expect(bundle.diagnostics.count == 1)
        #expect(bundle.diagnostics.first?.message == "nesting deeper than 64 levels")
    }

    @Test("deep block nesting is refused")
    func deepBlockNesting() {
        var text = ""
        for depth in 0..<300 { text += String(repeating: " ", count: depth) + "k:\n" }
        let (bundle, _) = refuse(Array(text.utf8))
        #expect(bundle.diagnostics.map(\.message) == ["nesting deeper than 64 levels"])
        #expect(bundle.diagnostics.first?.line == 65)
        let dashes = "spec:\n  x:\n" + String(repeating: "- ", count: 5_000) + "1\n"
        #expect(refuse(Array(dashes.utf8)).0.diagnostics.map(\.message) == ["nesting deeper than 64 levels"])
    }

    @Test("nesting built from aliases is measured after expansion")
    func deepNestingThroughAliases() {
        var text = "l0: &l0 [x]\n"
        for level in 1...80 { text += "l\(level): &l\(level) [*l\(level - 1)]\n" }
        let (bundle, _) = refuse(Array(text.utf8))
        #expect(bundle.diagnostics.map(\.message) == ["nesting deeper than 64 levels once aliases are expanded"])
    }

    @Test("a file over 1 MiB is refused without being parsed")
    func oversizedFile() {
        let line = "# " + String(repeating: "x", count: 1022) + "\n"
        let bytes = Array(String(repeating: line, count: 1100).utf8)
        let (bundle, elapsed) = refuse(bytes)
        #expect(elapsed < Self.bound)
        #expect(bundle.diagnostics.map(\.message) == ["file is larger than the limit of 1048576 bytes"])
    }

    @Test("binary garbage is refused as not text")
    func binaryGarbage() {
        var generator = SeededGenerator(seed: 0xBADC0FFEE)
        for _ in 0..<50 {
            let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let (bundle, elapsed) = refuse(bytes)
            #expect(elapsed < Self.bound)
            #expect(bundle.diagnostics.count == 1)
            #expect(bundle.diagnostics.first?.severity == .error)
        }
        let withNUL = Array("apiVersion: shipshape.io/v1\nkind: Env\u{0}ironment\n".utf8)
        let (bundle, _) = refuse(withNUL)
        #expect(bundle.diagnostics.map(\.description) == [
            "evil.yaml:2:10: error: file contains the control character U+0000, so it is not a text manifest (hint: remove the character; binary files do not belong in the manifests folder)"
        ])
    }

    @Test("non-UTF-8 text is refused with the position of the first bad byte")
    func latin1() {
        var bytes = Array("apiVersion: shipshape.io/v1\nkind: Environment\nmetadata: { name: caf".utf8)
        bytes += [0xE9, 0x20, 0x7D, 0x0A]
        let (bundle, _) = refuse(bytes)
        #expect(bundle.diagnostics.map(\.description) == [
            "evil.yaml:3:22: error: file is not valid UTF-8 text (hint: save the file as UTF-8; binary files do not belong in the manifests folder)"
        ])
    }

    @Test("a UTF-8 byte order mark and CRLF line ends are accepted")
    func bomAndCRLF() {
        let text = "apiVersion: shipshape.io/v1\r\nkind: Environment\r\nmetadata: { name: dev }\r\nspec:\r\n  services:\r\n    web: { runtime: docker, image: nginx, tag: \"1\", replica: 1 }\r\n"
        let bundle = ManifestLoader.load([ManifestSource(path: "dev.yaml", contents: [0xEF, 0xBB, 0xBF] + Array(text.utf8))])
        #expect(bundle.diagnostics.map(\.description) == [
            "dev.yaml:6:53: error: unknown key 'replica' in services.web (hint: did you mean 'replicas'?)"
        ])
    }

    @Test("ordinary anchors, aliases and merge keys work")
    func legitimateAliases() throws {
        let text = """
            apiVersion: shipshape.io/v1
            kind: Environment
            metadata: { name: dev }
            spec:
              services:
                api: &defaults
                  runtime: docker
                  image: 127.0.0.1:5000/community-api
                  tag: "1.0.0"
                  env: { TZ: UTC }
                worker:
                  <<: *defaults
                  command: [worker]
            """
        let bundle = ManifestLoader.load([ManifestSource(path: "dev.yaml", text: text)])
        #expect(bundle.diagnostics == [])
        let worker = try #require(bundle.environments["dev"]?.spec.services["worker"])
        #expect(worker.image.description == "127.0.0.1:5000/community-api:1.0.0")
        #expect(worker.command == ["worker"])
        #expect(worker.env == ["TZ": "UTC"])
    }
}
