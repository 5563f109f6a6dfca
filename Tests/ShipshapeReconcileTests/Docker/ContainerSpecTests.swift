import Foundation
import ShipshapeDocker
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

/// The complete container spec from the manifest, secrets kept out of everything but the container,
/// and drift, against the real daemon.
@Suite("Docker provider: container spec and drift")
struct ContainerSpecTests {
    static let password = "s3cr3t-\(UUID().uuidString)"

    func fullService(repository: String, hostPort: Int, volume: String) -> Service {
        var service = RolloutImages.service(repository: repository, tag: "1.0.0", hostPort: hostPort)
        service.env = ["LOG_LEVEL": "debug"]
        service.command = ["/bin/sh", "-c", "trap \"exit 0\" TERM; /bin/httpd -f -p 8080 -h /www & wait"]
        service.secrets = ["DB_PASSWORD": .ssm(path: "/test/db/password")]
        service.resources = ResourceLimits(memoryBytes: 64 << 20, cpus: 0.5)
        service.restart = .onFailure(maxRetries: 3)
        service.logging = LogOptions(driver: "json-file", options: ["max-size": "1m", "max-file": "2"])
        service.volumes = [VolumeMount(source: .hostPath(volume), target: "/data", readOnly: true)]
        service.networkMode = .bridge
        return service
    }

    @Test("every manifest field reaches the container; the secret only its environment")
    func completeSpec() async throws {
        let repository = try await RolloutImages.httpServer("spec", versions: ["1.0.0"])
        let volume = try TemporaryDirectory(prefix: "shipshape-volume")
        defer { volume.remove() }
        let resolver = DictionarySecretResolver(["ssm:/test/db/password": Self.password])
        try await ProviderHarness.with(options: .init(secrets: resolver), images: ["\(repository):1.0.0"]) { harness in
            let port = try LoopbackPort.free()
            let service = fullService(repository: repository, hostPort: port, volume: volume.path)
            let plan = try await harness.deployOrThrow([service])

            // The plan shows the reference, never the value.
            let text = PlanRenderer.text(plan)
            #expect(text.contains("ssm:/test/db/password"), "\(text)")
            #expect(!text.contains(Self.password))

            let containers = try await harness.containers()
            try #require(containers.count == 1)
            let details = try await harness.client.inspectContainer(containers[0].id)
            #expect(details.env.contains("DB_PASSWORD=\(Self.password)"))
            #expect(details.env.contains("LOG_LEVEL=debug"))
            #expect(details.spec.memoryBytes == 64 << 20)
            #expect(details.spec.nanoCPUs == 500_000_000)
            #expect(details.spec.restartPolicy == .onFailure(maxRetries: 3))
            #expect(details.spec.logging == LogConfig(driver: "json-file", options: ["max-size": "1m", "max-file": "2"]))
            #expect(details.spec.volumes == [VolumeBind(source: volume.path, target: "/data", readOnly: true)])
            #expect(details.spec.healthcheck?.test == ["CMD", "/bin/test", "-f", "/www/actuator/health"])
            #expect(details.spec.cmd == service.command)
            #expect(details.spec.publishedPorts.map(\.hostPort) == [port])
            #expect(details.spec.publishedPorts.first?.hostIP == "127.0.0.1")
            // Labels carry the reference only.
            let labels = details.labels.values.joined(separator: "\n")
            #expect(labels.contains("ssm:/test/db/password"))
            #expect(!labels.contains(Self.password))
            #expect(try await LoopbackHTTP.get(port: port, path: "/version") == "1.0.0")

            // Nothing changed: nothing to do, and no container was touched.
            let again = try await harness.plan([service])
            #expect(again.changes.isEmpty, "\(PlanRenderer.text(again))")

            // Each field is a field-level diff that replaces the containers.
            var changed = service
            changed.resources = ResourceLimits(memoryBytes: 96 << 20, cpus: 0.5)
            changed.secrets = ["DB_PASSWORD": .ssm(path: "/test/db/password2")]
            changed.logging = LogOptions(driver: "json-file", options: ["max-size": "2m"])
            let diff = try await harness.plan([changed])
            let fields = Set(diff.changes.flatMap { $0.fields.map(\.path) })
            #expect(fields == ["resources", "secrets", "logging"])
            #expect(diff.changes.first?.action == .replace)
            #expect(!PlanRenderer.text(diff).contains(Self.password))
        }
    }

    @Test("a service with secrets and no resolver fails before anything runs; a failing resolver too")
    func secretsNeedResolver() async throws {
        let repository = try await RolloutImages.httpServer("nosecret", versions: ["1.0.0"])
        try await ProviderHarness.with { harness in
            var service = RolloutImages.service(repository: repository, tag: "1.0.0", hostPort: try LoopbackPort.free())
            service.secrets = ["TOKEN": .secretsManager(name: "test/token", jsonKey: "value")]
            let (_, report) = try await harness.deploy([service])
            let failure = try #require(report.failure)
            #expect("\(failure.error)".contains("no secret resolver"))
            #expect(ErrorDisposition.of(failure.error) == .stalled)
            #expect(try await harness.containers().isEmpty)
        }
        try await ProviderHarness.with(options: .init(secrets: DictionarySecretResolver([:])), images: ["\(repository):1.0.0"]) {
            harness in
            var service = RolloutImages.service(repository: repository, tag: "1.0.0", hostPort: try LoopbackPort.free())
            service.secrets = ["TOKEN": .secretsManager(name: "test/token", jsonKey: "value")]
            let (_, report) = try await harness.deploy([service])
            let failure = try #require(report.failure)
            #expect("\(failure.error)".contains("TOKEN (secretsmanager:test/token:value) cannot be resolved"))
            #expect(try await harness.containers().isEmpty)
        }
    }

    @Test("docker update, docker stop and docker rm by hand are drift, and the next apply repairs them")
    func handChangesAreDrift() async throws {
        let repository = try await RolloutImages.httpServer("drift", versions: ["1.0.0"])
        try await ProviderHarness.with(images: ["\(repository):1.0.0"]) { harness in
            let port = try LoopbackPort.free()
            var service = RolloutImages.service(repository: repository, tag: "1.0.0", replicas: 2, hostPort: port)
            service.resources = ResourceLimits(memoryBytes: 64 << 20)
            let applied = try await harness.deployOrThrow([service])
            let fingerprints = applied.fingerprints

            // docker update --memory
            let first = try await harness.containers()
            try await Command.run(["docker", "update", "--memory", "80m", "--memory-swap", "160m", first[0].id])
            let plan = try await harness.reconcilePlan([service], fingerprints: fingerprints)
            let change = try #require(plan.changes.first)
            #expect(change.reason == .drift)
            let resources = try #require(change.fields.first { $0.path == "resources" })
            #expect(resources.before == .map(["memory": .int(80 << 20)]))
            #expect(resources.after == .map(["memory": .int(64 << 20)]))
            try await harness.deployOrThrow([service])
            let repaired = try await harness.containers()
            #expect(repaired.count == 2)
            #expect(!repaired.map(\.id).contains(first[0].id))
            #expect(try await harness.plan([service]).changes.isEmpty)

            // docker stop, then docker rm.
            try await Command.run(["docker", "stop", "-t", "1", repaired[0].id])
            let stopped = try await harness.reconcilePlan([service], fingerprints: fingerprints)
            #expect(stopped.changes.first?.fields.map(\.path).sorted() == ["replicas", "retired"])
            try await harness.deployOrThrow([service])
            #expect(try await harness.containers().filter(\.isRunning).count == 2)
            let now = try await harness.containers()
            try await Command.run(["docker", "rm", "-f", now[1].id])
            let removed = try await harness.reconcilePlan([service], fingerprints: fingerprints)
            #expect(removed.changes.first?.fields.map(\.path) == ["replicas"])
            try await harness.deployOrThrow([service])
            let final = try await harness.containers()
            #expect(final.count == 2 && final.allSatisfy { $0.isRunning })
            #expect(try await harness.plan([service]).changes.isEmpty)
        }
    }
}

extension ProviderHarness {
    /// A plan as the controller makes it after an apply: with the applied fingerprints, so a
    /// difference with unchanged manifests is drift.
    func reconcilePlan(_ services: [Service], fingerprints: [ResourceID: String]) async throws -> Plan {
        try await Reconciler(providers: [provider]).plan(
            environment(services), inputs: .init(environment: env, revision: "r1", appliedFingerprints: fingerprints))
    }
}
