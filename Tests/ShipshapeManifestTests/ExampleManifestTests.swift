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
        let expectedPolicy = Policy(
            prune: false,
            selfHeal: true,
            detectOnly: [.databases],
            maxChanges: 10,
            approval: .disruptive,
            maintenanceWindow: MaintenanceSchedule(
                schedule: try #require(try? CronSchedule.parse("0 18 * * sun").get()),
                duration: .seconds(7200)
            )
        )
        #expect(prod.spec.policy == expectedPolicy)
        #expect(prod.spec.policy.heals(.services))
        #expect(!prod.spec.policy.heals(.databases))
    }

    @Test("prod covers every kind, with references resolved")
    func prodCoversEveryKind() throws {
        let bundle = try ManifestLoader.load(directory: TestSources.manifestsDirectory)
        let prod = try #require(bundle.environments["prod"])
        #expect(prod.labels == ["team": "community", "tier": "production"])
        let api = try #require(prod.spec.services["api"])
        #expect(api.runtime == .ecs)
        #expect(api.image.registry == "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com")
        #expect(api.image.tag == "1.4.2")
        #expect(api.env == ["SPRING_PROFILES_ACTIVE": "prod", "SERVER_PORT": "8080"])
        #expect(
            api.secrets == [
                "DB_PASSWORD": .ssm(path: "/prod/community/db/password"),
                "JWT_SIGNING_KEY": .secretsManager(name: "prod/community/api", jsonKey: "jwtSigningKey"),
                "MAIL_API_TOKEN": .secretsManager(name: "prod/community/mail", jsonKey: "token"),
            ]
        )
        #expect(api.strategy.kind == .canary)
        #expect(api.strategy.steps == [10, 50, 100])
        #expect(api.strategy.observe == .seconds(300))
        #expect(api.strategy.probe?.httpPath == "/actuator/health/readiness")
        #expect(api.resources == ResourceLimits(memoryBytes: 1 << 30, cpus: 0.5))
        #expect(api.ecs == ECSPlacement(
            cluster: "community-prod",
            subnets: ["subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719"],
            securityGroups: ["api"]
        ))
        let exporter = try #require(prod.spec.services["node-exporter"])
        #expect(exporter.image.digest?.hasPrefix("sha256:4f3a") == true)
        #expect(exporter.restart == .onFailure(maxRetries: 5))
        #expect(exporter.volumes == [VolumeMount(source: .hostPath("/"), target: "/host", readOnly: true)])
        #expect(exporter.replicas == 1)

        #expect(prod.spec.instances["bastion"]?.type == "t3.micro")
        #expect(prod.spec.instances["legacy-batch"]?.adopt == .tag(key: "Name", value: "community-legacy-batch"))
        let db = try #require(prod.spec.databases["community-db"])
        #expect(db.instanceClass == "db.t3.micro")
        #expect(db.engine == .postgres)
        #expect(db.storageGiB == 50)
        #expect(db.maintenanceWindow?.description == "sun:18:00-sun:19:00")
        #expect(db.masterPassword == .ssm(path: "/prod/community/db/password"))
        let dbGroup = try #require(prod.spec.securityGroups["db"])
        #expect(dbGroup.ingress.map(\.peer) == [.group("api"), .group("bastion")])
        #expect(dbGroup.egress == nil)
        #expect(prod.spec.securityGroups["bastion"]?.ingress[2].ports == 60000...61000)
        #expect(prod.spec.securityGroups["api"]?.ingress[1].peer == .cidrIPv6("2406:da12:abc::/56"))
        #expect(prod.spec.alerts.count == 2)
        #expect(prod.spec.alerts[1].events == [.reconcileFailed, .rolloutRolledBack])
    }
}
