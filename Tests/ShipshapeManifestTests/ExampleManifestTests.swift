import Testing
@testable import ShipshapeManifest

@Suite("The example manifests in manifests/")
struct ExampleManifestTests {
    @Test("every example environment decodes without diagnostics")
    func examplesAreValid() throws {
        let bundle = try ManifestLoader.load(directory: TestSources.manifestsDirectory)
        #expect(bundle.diagnostics.map(\.description) == [])
        #expect(bundle.environmentNames == ["dev", "prod"])
        #expect(Set(bundle.environments.keys) == ["dev", "prod"])
    }

    @Test("dev is the demo environment of the contract")
    func devMatchesTheDemo() throws {
        let bundle = try ManifestLoader.load(directory: TestSources.manifestsDirectory)
        let dev = try #require(bundle.environments["dev"])
        let api = try #require(dev.spec.services["api"])
        #expect(api.runtime == .docker)
        #expect(api.image.description == "127.0.0.1:5000/community-api:1.0.0")
        #expect(api.image.registry == "127.0.0.1:5000")
        #expect(api.image.repository == "community-api")
        #expect(api.replicas == 1)
        #expect(api.ports == [PortMapping(hostIP: "127.0.0.1", hostPort: 18080, containerPort: 8080)])
        #expect(api.env == ["SPRING_PROFILES_ACTIVE": "dev"])
        #expect(api.command == nil)
        #expect(api.health == HealthCheck(httpPath: "/version", port: 8080, timeout: .seconds(30)))
        let db = try #require(dev.spec.services["db"])
        #expect(db.image.description == "127.0.0.1:5000/community-db:15")
        #expect(db.ports == [PortMapping(hostIP: "127.0.0.1", hostPort: 15432, containerPort: 5432)])
        #expect(dev.spec.services.count == 2)
        // From base.yaml.
        #expect(dev.spec.policy == Policy(prune: false, selfHeal: true, maxChanges: 20))
    }

    @Test("prod overrides the base policy key by key")
    func prodOverridesBase() throws {
        let bundle = try ManifestLoader.load(directory: TestSources.manifestsDirectory)
        let prod = try #require(bundle.environments["prod"])
        #expect(prod.spec.region == "ap-northeast-2")
        #expect(prod.spec.policy == Policy(prune: false, selfHeal: true, maxChanges: 10))
        let api = try #require(prod.spec.services["api"])
        #expect(api.image.registry == "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com")
        #expect(api.image.tag == "1.4.2")
    }
}
