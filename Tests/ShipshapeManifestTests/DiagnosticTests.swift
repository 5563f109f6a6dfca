import Testing
@testable import ShipshapeManifest

@Suite("Strict decoding reports every problem with its position")
struct DiagnosticTests {
    private func load(_ text: String, path: String = "dev.yaml", options: ManifestOptions = .init()) -> ManifestBundle {
        ManifestLoader.load([TestSources.source(path, text)], options: options)
    }

    private func summary(_ bundle: ManifestBundle) -> [String] {
        bundle.diagnostics.map { "\($0.file):\($0.line):\($0.column): \($0.severity.rawValue): \($0.message)" }
    }

    @Test("unknown keys, wrong types, invalid ports and image references are all collected")
    func collectsEveryProblem() {
        let bundle = load(
            """
            apiVersion: shipshape.io/v1
            kind: Environment
            metadata: { name: dev }
            spec:
              services:
                api:
                  runtime: docker
                  image: 127.0.0.1:5000/Community-API
                  tag: "1.0.0"
                  replicas: two
                  ports: ["127.0.0.1:70000:8080", "8080:8080/sctp"]
                  replica: 1
                db:
                  runtime: docker
                  image: 127.0.0.1:5000/community-db
                  tag: 15
            """
        )
        #expect(
            summary(bundle) == [
                "dev.yaml:8:14: error: invalid image reference in services.api.image: repository component 'Community-API' must be lowercase letters and digits, separated by '.', '_', '__' or '-'",
                "dev.yaml:10:17: error: services.api.replicas must be an integer, found a string 'two'",
                "dev.yaml:11:15: error: invalid port '127.0.0.1:70000:8080' in services.api.ports[0]: host port '70000' must be a number from 1 to 65535",
                "dev.yaml:11:39: error: invalid port '8080:8080/sctp' in services.api.ports[1]: protocol 'sctp' must be tcp or udp",
                "dev.yaml:12:7: error: unknown key 'replica' in services.api",
                "dev.yaml:16:12: error: services.db.tag must be a string, found an integer '15'",
            ]
        )
        #expect(bundle.diagnostics.first { $0.message.hasPrefix("unknown key") }?.hint == "did you mean 'replicas'?")
        #expect(bundle.diagnostics.last?.hint == "quote it: \"15\"")
        #expect(bundle.environmentNames == ["dev"])
        #expect(bundle.environments.isEmpty)
    }

    @Test("a missing tag is a warning, and an error under strict options")
    func floatingTag() {
        let text = TestSources.environment(
            "dev",
            spec: """
                  services:
                    web: { runtime: docker, image: nginx }
                """
        )
        let lenient = load(text)
        #expect(summary(lenient) == ["dev.yaml:6:36: warning: services.web image 'nginx' has no tag or digest, so it floats"])
        #expect(lenient.environments["dev"] != nil)
        let strict = load(text, options: ManifestOptions(strict: true))
        #expect(summary(strict) == ["dev.yaml:6:36: error: services.web image 'nginx' has no tag or digest, so it floats"])
        #expect(strict.environments["dev"] == nil)
    }

    @Test("a YAML syntax error names the position")
    func syntaxError() {
        let bundle = load("apiVersion: shipshape.io/v1\nkind: [Environment\n")
        #expect(bundle.diagnostics.count == 1)
        #expect(bundle.diagnostics.first?.file == "dev.yaml")
        #expect(bundle.diagnostics.first?.line == 3)
        #expect(bundle.diagnostics.first?.message.hasPrefix("YAML syntax error") == true)
    }

    @Test("a duplicate key is reported at its second occurrence")
    func duplicateKey() {
        let bundle = load(
            """
            apiVersion: shipshape.io/v1
            kind: Environment
            metadata: { name: dev }
            spec:
              services:
                api:
                  runtime: docker
                  image: nginx
                  runtime: ecs
            """
        )
        #expect(summary(bundle) == ["dev.yaml:9:7: error: duplicate key 'runtime' (first defined at line 7)"])
    }
}
