import Testing
@testable import ShipshapeManifest

@Suite("Canonical rendering of merged environments")
struct RendererTests {
    @Test("rendering and decoding again gives the same environment", arguments: ["dev", "prod"])
    func roundTrip(name: String) throws {
        let bundle = try ManifestLoader.load(directory: TestSources.manifestsDirectory)
        let environment = try #require(bundle.environments[name])
        let rendered = ManifestRenderer.render(environment)
        let again = ManifestLoader.load([ManifestSource(path: "\(name).yaml", text: rendered)])
        #expect(again.diagnostics.map(\.description) == [])
        #expect(again.environments[name] == environment)
        // Canonical: rendering is a fixed point.
        #expect(again.environments[name].map(ManifestRenderer.render) == rendered)
    }

    @Test("dev renders as the reviewed reference output")
    func devReference() throws {
        let bundle = try ManifestLoader.load(directory: TestSources.manifestsDirectory)
        let dev = try #require(bundle.environments["dev"])
        #expect(
            ManifestRenderer.render(dev) == """
                apiVersion: shipshape.io/v1
                kind: Environment
                metadata:
                  name: dev
                spec:
                  services:
                    api:
                      runtime: docker
                      image: 127.0.0.1:5000/community-api
                      tag: 1.0.0
                      replicas: 1
                      ports: ["127.0.0.1:18080:8080"]
                      env:
                        SPRING_PROFILES_ACTIVE: dev
                      health:
                        http: /version
                        port: 8080
                        timeout: 30s
                        interval: 5s
                        retries: 3
                      strategy:
                        type: rolling
                        maxUnavailable: 1
                    db:
                      runtime: docker
                      image: 127.0.0.1:5000/community-db
                      tag: "15"
                      replicas: 1
                      ports: ["127.0.0.1:15432:5432"]
                      strategy:
                        type: rolling
                        maxUnavailable: 1
                  policy:
                    prune: false
                    selfHeal: true
                    maxChanges: 20
                    approval: never

                """
        )
    }

    @Test("strings that would read back as another type are quoted")
    func quoting() {
        #expect(YAMLValue.quotedIfNeeded("15") == "\"15\"")
        #expect(YAMLValue.quotedIfNeeded("1.10") == "\"1.10\"")
        #expect(YAMLValue.quotedIfNeeded("true") == "\"true\"")
        #expect(YAMLValue.quotedIfNeeded("~") == "\"~\"")
        #expect(YAMLValue.quotedIfNeeded("") == "\"\"")
        #expect(YAMLValue.quotedIfNeeded("a: b") == "\"a: b\"")
        #expect(YAMLValue.quotedIfNeeded("*alias") == "\"*alias\"")
        #expect(YAMLValue.quotedIfNeeded("line\nbreak") == "\"line\\nbreak\"")
        #expect(YAMLValue.quotedIfNeeded("/actuator/health") == "/actuator/health")
        #expect(YAMLValue.quotedIfNeeded("ssm:/prod/db") == "ssm:/prod/db")
    }
}
