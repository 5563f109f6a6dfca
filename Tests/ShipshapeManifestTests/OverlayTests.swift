import Testing
@testable import ShipshapeManifest

@Suite("Base and environment overlays")
struct OverlayTests {
    let base = TestSources.source(
        "base.yaml",
        """
        apiVersion: shipshape.io/v1
        kind: Base
        spec:
          services:
            api:
              runtime: docker
              image: 127.0.0.1:5000/community-api
              replicas: 3
              ports: ["8080:8080", "8443:8443"]
              env: { TZ: UTC, LOG_LEVEL: info }
          policy: { prune: true, maxChanges: 5 }
        """
    )

    @Test("maps merge key by key, lists replace, null removes")
    func mergeSemantics() throws {
        let dev = TestSources.source(
            "dev.yaml",
            TestSources.environment(
                "dev",
                spec: """
                      services:
                        api:
                          tag: "1.0.0"
                          replicas: 1
                          ports: ["127.0.0.1:18080:8080"]
                          env: { LOG_LEVEL: debug }
                      policy: { maxChanges: ~ }
                    """
            )
        )
        let bundle = ManifestLoader.load([base, dev])
        #expect(bundle.diagnostics == [])
        let api = try #require(bundle.environments["dev"]?.spec.services["api"])
        #expect(api.image.description == "127.0.0.1:5000/community-api:1.0.0")
        #expect(api.replicas == 1)
        #expect(api.ports == [PortMapping(hostIP: "127.0.0.1", hostPort: 18080, containerPort: 8080)])
        #expect(api.env == ["TZ": "UTC", "LOG_LEVEL": "debug"])
        #expect(bundle.environments["dev"]?.spec.policy == Policy(prune: true, selfHeal: true, maxChanges: nil))
    }

    @Test("a problem in a value that comes from base.yaml points at base.yaml")
    func diagnosticsKeepTheirOrigin() {
        let badBase = TestSources.source(
            "base.yaml",
            """
            apiVersion: shipshape.io/v1
            kind: Base
            spec:
              services:
                api:
                  replicas: -1
            """
        )
        let dev = TestSources.source(
            "dev.yaml",
            TestSources.environment(
                "dev",
                spec: """
                      services:
                        api: { runtime: docker, image: nginx, tag: "1", replicass: 1 }
                    """
            )
        )
        let bundle = ManifestLoader.load([badBase, dev])
        #expect(
            bundle.diagnostics.map(\.description) == [
                "base.yaml:6:17: error: services.api.replicas is -1; it must be between 0 and 1000",
                "dev.yaml:6:53: error: unknown key 'replicass' in services.api (hint: did you mean 'replicas'?)",
            ]
        )
        #expect(bundle.diagnostics(for: "dev").count == 2)
        #expect(bundle.environments.isEmpty)
    }

    @Test("an invalid environment does not block a valid one")
    func environmentsAreIndependent() {
        let dev = TestSources.source(
            "dev.yaml",
            TestSources.environment("dev", spec: "  services: { api: { runtime: docker, image: nginx, tag: \"1\" } }")
        )
        let prod = TestSources.source(
            "prod.yaml",
            TestSources.environment("prod", spec: "  services: { api: { runtime: podman, image: nginx, tag: \"1\" } }")
        )
        let bundle = ManifestLoader.load([dev, prod])
        #expect(bundle.environmentNames == ["dev", "prod"])
        #expect(Set(bundle.environments.keys) == ["dev"])
        #expect(bundle.diagnostics(for: "dev") == [])
        #expect(bundle.diagnostics(for: "prod").map(\.message) == ["services.api.runtime 'podman' is not one of: docker, ecs"])
    }
}

@Suite("Overlay fixtures")
struct OverlayFixtureTests {
    @Test("an overlay that fixes or removes a bad base value makes its environment valid; others stay blocked")
    func overlayOrigin() throws {
        let bundle = try ManifestLoader.load(directory: TestSources.fixturesDirectory + "/overlay-origin")
        #expect(bundle.environmentNames == ["dev", "staging"])
        #expect(bundle.diagnostics(for: "dev") == [])
        let api = try #require(bundle.environments["dev"]?.spec.services["api"])
        #expect(api.env == ["JAVA_OPTS": "-Xmx512m"])
        #expect(api.health?.timeout == .seconds(30))
        #expect(bundle.environments["staging"] == nil)
        #expect(bundle.diagnostics(for: "staging").map(\.file) == ["base.yaml", "base.yaml", "staging.yaml"])
    }

    @Test("an environment split over files in its own folder merges in path order")
    func folderEnvironment() throws {
        let bundle = try ManifestLoader.load(directory: TestSources.fixturesDirectory + "/valid-folder-environment")
        let staging = try #require(bundle.environments["staging"])
        #expect(staging.spec.region == "us-east-1")
        #expect(staging.spec.services["api"]?.image.tag == "1.0.1")
        #expect(staging.spec.securityGroups["web"]?.description == "staging web")
        #expect(staging.spec.policy.maxChanges == 5)
    }
}
