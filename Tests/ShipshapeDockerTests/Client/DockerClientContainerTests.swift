import Foundation
import ShipshapeDocker
import ShipshapeTesting
import Testing

@Suite("DockerClient containers against the real daemon", .timeLimit(.minutes(10)))
struct DockerClientContainerTests {
    @Test("ping and version reach the daemon over the unix socket")
    func pingAndVersion() async throws {
        let client = DockerTestSupport.client
        try await client.ping()
        let version = try await client.version()
        #expect(!version.version.isEmpty)
        let api = try #require(Double(version.apiVersion), "API version \(version.apiVersion)")
        #expect(api >= 1.41)
    }

    @Test("create, start, serve on 127.0.0.1, list by label, stop, remove: idempotent where promised")
    func lifecycle() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-api")):1.0.0"
            await resources.image(image)
            try await TestImages.buildHTTPServer(image, version: "1.0.0")

            let label = DockerTestSupport.uniqueLabel()
            let hostPort = try LoopbackPort.free()
            let name = TestImages.uniqueName("shipshape-test-web")
            let spec = ContainerSpec(
                image: image,
                env: ["GREETING=hello"],
                labels: [label.key: label.value, "io.shipshape.service": "api"],
                publishedPorts: [
                    PublishedPort(containerPort: ContainerPort(8080), hostIP: "127.0.0.1", hostPort: hostPort)
                ],
                restartPolicy: .unlessStopped)
            let id = try await client.createContainer(name: name, spec: spec)
            await resources.container(id)
            #expect(id.count == 64)

            try await client.startContainer(id)
            try await client.startContainer(id)  // already running: 304 is success
            let served = try await DockerTestSupport.httpGet(port: hostPort, path: "/version")
            #expect(served == "1.0.0")

            let listed = try await client.listContainers(all: false, labels: [label.key: label.value])
            #expect(listed.map(\.id) == [id])
            let summary = try #require(listed.first)
            #expect(summary.names == [name])
            #expect(summary.image == image)
            #expect(summary.isRunning)
            #expect(summary.labels["io.shipshape.service"] == "api")
            #expect(
                summary.publishedPorts == [
                    PublishedPort(containerPort: ContainerPort(8080), hostIP: "127.0.0.1", hostPort: hostPort)
                ])

            let details = try await client.inspectContainer(name)
            #expect(details.id == id)
            #expect(details.name == name)
            #expect(details.state.running)
            #expect(details.env.contains("GREETING=hello"))
            #expect(details.spec.restartPolicy == .unlessStopped)
            #expect(details.boundPorts == spec.publishedPorts)
            #expect(details.imageID.hasPrefix("sha256:"))

            try await client.stopContainer(id, timeout: .seconds(2))
            try await client.stopContainer(id, timeout: .seconds(2))  // already stopped: 304 is success
            #expect(try await client.listContainers(all: false, labels: [label.key: label.value]).isEmpty)
            let stopped = try await client.listContainers(all: true, labels: [label.key: label.value])
            #expect(stopped.map(\.state) == ["exited"])

            try await client.removeContainer(id, force: false)
            try await client.removeContainer(id, force: false)  // already gone: success
            #expect(try await client.listContainers(all: true, labels: [label.key: label.value]).isEmpty)
            let error = await #expect(throws: DockerError.self) { try await client.inspectContainer(id) }
            #expect(error?.code == .notFound)
            #expect(try await client.inspectContainerIfPresent(name) == nil)
        }
    }

    @Test("a label filter with several labels matches only containers carrying all of them")
    func listByLabels() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-sleep")):1"
            await resources.image(image)
            try await TestImages.build(image, changes: [#"CMD ["/bin/sleep","300"]"#])
            let run = UUID().uuidString.lowercased()
            var ids: [String: String] = [:]
            for service in ["a", "b"] {
                let id = try await client.createContainer(
                    name: TestImages.uniqueName("shipshape-test-\(service)"),
                    spec: ContainerSpec(
                        image: image, labels: ["io.shipshape.run": run, "io.shipshape.service": service]))
                await resources.container(id)
                ids[service] = id
            }
            let both = try await client.listContainers(all: true, labels: ["io.shipshape.run": run])
            #expect(Set(both.map(\.id)) == Set(ids.values))
            let onlyB = try await client.listContainers(
                all: true, labels: ["io.shipshape.run": run, "io.shipshape.service": "b"])
            #expect(onlyB.map(\.id) == [ids["b"]])
            let anyValue = try await client.listContainers(
                all: true, labels: ["io.shipshape.run": run, "io.shipshape.service": ""])
            #expect(anyValue.count == 2)
            #expect(try await client.listContainers(all: false, labels: ["io.shipshape.run": run]).isEmpty)
        }
    }

    @Test("creating from an image the daemon lacks fails with notFound naming the container")
    func createWithMissingImage() async throws {
        let client = DockerTestSupport.client
        let name = TestImages.uniqueName("shipshape-test-missing")
        let error = await #expect(throws: DockerError.self) {
            try await client.createContainer(name: name, spec: ContainerSpec(image: "shipshape-test-absent:\(name)"))
        }
        #expect(error?.code == .notFound)
        #expect(error?.status == 404)
        #expect(error?.description.contains(name) == true)
        try await client.removeContainer(name, force: true)
    }

    @Test("a second container with the same name is a conflict")
    func nameConflict() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-sleep")):1"
            await resources.image(image)
            try await TestImages.build(image, changes: [#"CMD ["/bin/sleep","300"]"#])
            let name = TestImages.uniqueName("shipshape-test-dup")
            let id = try await client.createContainer(name: name, spec: ContainerSpec(image: image))
            await resources.container(id)
            let error = await #expect(throws: DockerError.self) {
                try await client.createContainer(name: name, spec: ContainerSpec(image: image))
            }
            #expect(error?.code == .conflict)
            #expect(error?.description.contains(name) == true)
        }
    }

    @Test("a socket nobody listens on is a clear daemonUnreachable error naming the path")
    func unreachableSocket() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-nosocket")
        defer { directory.remove() }
        let path = directory.appending("docker.sock")
        let client = DockerClient(socketPath: path, logger: DockerTestSupport.logger)
        let error = await #expect(throws: DockerError.self) { try await client.ping() }
        #expect(error?.code == .daemonUnreachable)
        #expect(error?.description.contains(path) == true)
        let listError = await #expect(throws: DockerError.self) {
            try await client.listContainers(all: true, labels: [:])
        }
        #expect(listError?.code == .daemonUnreachable)
    }
}

@Suite("DockerClient with a stale socket")
struct DockerClientStaleSocketTests {
    @Test("a socket file nobody accepts on fails at once as daemonUnreachable")
    func refusedSocket() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-stale")
        defer { directory.remove() }
        let path = directory.appending("docker.sock")
        // A bound but never listening unix socket: connecting is refused, as after a dockerd crash.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        let client = DockerClient(socketPath: path, logger: DockerTestSupport.logger)
        let error = await #expect(throws: DockerError.self) { try await client.ping() }
        // Unreachable, not a timeout: a client that retried the refused connection until the
        // request deadline would fail with `.timeout` (no wall-clock bound: the test hosts are loaded).
        #expect(error?.code == .daemonUnreachable, "\(String(describing: error))")
        #expect(error?.description.contains(path) == true)
    }
}
