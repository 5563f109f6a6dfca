import Foundation
import Logging
import ShipshapeDocker
import ShipshapeManifest
import ShipshapeReconcile
import ShipshapeTesting
import Testing

/// Image retention, foreign containers, registry credentials and the cost of a no-op observe,
/// against the real daemon and registry.
@Suite("Docker provider: housekeeping, auth, observe cost")
struct HousekeepingAuthTests {
    @Test("the newest N earlier images stay, older Shipshape-used tags go; foreign containers are never touched")
    func imageRetention() async throws {
        let versions = ["1.0.0", "1.0.1", "1.0.2", "1.0.3"]
        var repository = TestImages.uniqueName("retain")
        for version in versions {
            try await TestImages.buildHTTPServer("\(repository):\(version)", version: version)
            try await Task.sleep(for: .milliseconds(1100))  // distinct creation times (seconds)
        }
        repository = repository + ""
        let images = versions.map { "\(repository):\($0)" }
        try await ProviderHarness.with(options: .init(keepPreviousImages: 1), images: images) { harness in
            // A container Shipshape did not create, on an old image, with a name like a managed one.
            let foreign = "\(harness.env)-api-0-foreign"
            try await Command.run(["docker", "run", "-d", "--name", foreign, "\(repository):1.0.0", "/bin/sleep", "300"])
            defer { Task { _ = try? await Command.run(["docker", "rm", "-f", foreign], check: false) } }

            let port = try LoopbackPort.free()
            try await harness.deployOrThrow([RolloutImages.service(repository: repository, tag: "1.0.3", hostPort: port)])
            let left = try await harness.client.listImages(reference: repository).flatMap(\.repoTags).sorted()
            // 1.0.3 runs, 1.0.2 is the one kept, 1.0.1 is gone, 1.0.0 stays because a container uses it.
            #expect(left == ["\(repository):1.0.0", "\(repository):1.0.2", "\(repository):1.0.3"], "\(left)")

            // The foreign container survives deploys, a replica change, and a prune of the service.
            try await harness.deployOrThrow([RolloutImages.service(repository: repository, tag: "1.0.2", replicas: 2, hostPort: port)])
            let plan = try await Reconciler(providers: [harness.provider]).plan(
                harness.environment([]), inputs: .init(environment: harness.env, revision: "r3", prune: true))
            #expect(plan.changes.map(\.action) == [.delete])
            _ = await Reconciler(providers: [harness.provider]).apply(plan, logger: harness.logger)
            #expect(try await harness.containers().isEmpty)
            let details = try await harness.client.inspectContainer(foreign)
            #expect(details.state.running)
        }
    }

    @Test("pulls from a registry with credentials from a Docker config file; wrong credentials fail before anything stops")
    func credentialsFile() async throws {
        let credentials = LocalRegistry.Credentials(username: "deploy", password: "pw-\(UUID().uuidString)")
        let registry = try await LocalRegistry.start(credentials: credentials)
        let directory = try TemporaryDirectory(prefix: "shipshape-auth")
        let repository = TestImages.uniqueName("authapi")
        do {
            for version in ["1.0.0", "1.0.1"] {
                try await TestImages.buildHTTPServer("\(repository)-local:\(version)", version: version)
                try await registry.push("\(repository)-local:\(version)", as: repository, tag: version)
                await TestImages.remove("\(repository)-local:\(version)")
            }
            let auth = Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
            let good = try directory.write(#"{"auths": {"http://\#(registry.address)": {"auth": "\#(auth)"}}}"#, to: "good.json")
            let wrong = try directory.write(
                #"{"auths": {"\#(registry.address)": {"username": "deploy", "password": "nope"}}}"#, to: "wrong.json")
            let images = ["1.0.0", "1.0.1"].map { "\(registry.address)/\(repository):\($0)" }
            try await ProviderHarness.with(options: .init(registryCredentials: RegistryCredentialsFile(path: good)), images: images) {
                harness in
                let port = try LoopbackPort.free()
                var service = RolloutImages.service(repository: repository, tag: "1.0.0", hostPort: port)
                service.image.registry = registry.address
                try await harness.deployOrThrow([service])
                #expect(try await LoopbackHTTP.get(port: port, path: "/version") == "1.0.0")
                let before = try await harness.containers()

                let refused = harness.with(.init(registryCredentials: RegistryCredentialsFile(path: wrong)))
                service.image.tag = "1.0.1"
                let (_, report) = try await refused.deploy([service], revision: "r2")
                let failure = try #require(report.failure)
                let message = "\(failure.error)"
                #expect(message.contains("nothing was stopped"), "\(message)")
                #expect(!message.contains(credentials.password) && !message.contains("nope"))
                #expect(try await harness.containers().map(\.id) == before.map(\.id))
            }
        } catch {
            await registry.stop()
            directory.remove()
            throw error
        }
        await registry.stop()
        directory.remove()
    }

    @Test("ECR credentials are fetched once, cached until shortly before expiry, and only for ECR hosts")
    func ecrCredentials() async throws {
        let calls = Counter()
        let host = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
        let token = Data("AWS:secret-password".utf8).base64EncodedString()
        let provider = ECRCredentialsProvider(refreshMargin: .seconds(60)) {
            await calls.increment()
            return [try ECRAuthorization(authorizationToken: token, proxyEndpoint: "https://\(host)", expiresAt: Date().addingTimeInterval(30))]
        }
        let logger = Logger(label: "test")
        #expect(try await provider.credentials(forRegistry: "127.0.0.1:5000", logger: logger) == nil)
        #expect(await calls.value == 0)
        let auth = try #require(try await provider.credentials(forRegistry: host, logger: logger))
        #expect(auth.serverAddress == host)
        #expect(!auth.description.contains("secret-password"))
        // Expires within the margin: fetched again.
        _ = try await provider.credentials(forRegistry: host, logger: logger)
        #expect(await calls.value == 2)

        let lasting = ECRCredentialsProvider {
            await calls.increment()
            return [try ECRAuthorization(authorizationToken: token, proxyEndpoint: "https://\(host)", expiresAt: Date().addingTimeInterval(43200))]
        }
        _ = try await lasting.credentials(forRegistry: host, logger: logger)
        _ = try await lasting.credentials(forRegistry: host, logger: logger)
        #expect(await calls.value == 3)
    }

    /// Prints the observe time; the figure to quote comes from the benchmark in BENCHMARKS.md, not
    /// from a timed test on a shared machine.
    @Test("a no-op observe of 30 containers finds them all in one pass and plans nothing")
    func observeCost() async throws {
        let repository = try await RolloutImages.httpServer("observe", versions: ["1.0.0"])
        try await ProviderHarness.with(images: ["\(repository):1.0.0"]) { harness in
            let base = try RolloutTests.portBase(replicas: 30, offset: 0)
            var service = RolloutImages.service(
                repository: repository, tag: "1.0.0", replicas: 30, hostPort: base,
                strategy: DeploymentStrategy(kind: .rolling, maxUnavailable: 10))
            service.health = nil
            try await harness.deployOrThrow([service])
            #expect(try await harness.containers().filter(\.isRunning).count == 30)
            var times: [Duration] = []
            for _ in 0..<10 {
                let started = ContinuousClock.now
                let live = try await harness.provider.observe(Scope(environment: harness.env))
                times.append(ContinuousClock.now - started)
                #expect(live.count == 1)
            }
            let plan = try await harness.plan([service])
            #expect(plan.changes.isEmpty)
            let median = times.sorted()[times.count / 2]
            print("no-op observe of 30 containers: median \(median), all \(times)")
        }
    }
}

actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
