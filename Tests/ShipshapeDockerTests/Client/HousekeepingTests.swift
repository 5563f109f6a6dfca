import Foundation
import ShipshapeDocker
import ShipshapeTesting
import Testing

@Suite("Image housekeeping and health waits against the real daemon", .timeLimit(.minutes(10)))
struct HousekeepingTests {
    @Test("list images by reference and label; an image in use cannot be removed; removal is idempotent")
    func images() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let repository = TestImages.uniqueName("shipshape-test-keep")
            let marker = UUID().uuidString.lowercased()
            let image = "\(repository):1"
            await resources.image(image)
            let id = try await TestImages.build(
                image, changes: [#"CMD ["/bin/sleep","300"]"#, "LABEL io.shipshape.test=\(marker)"])

            let byReference = try await client.listImages(reference: repository)
            #expect(byReference.map(\.id) == [id])
            #expect(byReference.first?.repoTags == [image])
            let byLabel = try await client.listImages(labels: ["io.shipshape.test": marker])
            #expect(byLabel.map(\.id) == [id])
            #expect(try await client.listImages(reference: "\(repository):2").isEmpty)

            let container = try await client.createContainer(
                name: TestImages.uniqueName("shipshape-test-user"), spec: ContainerSpec(image: image))
            await resources.container(container)
            try await client.startContainer(container)
            let inUse = await #expect(throws: DockerError.self) { try await client.removeImage(id) }
            #expect(inUse?.code == .conflict)
            #expect(inUse?.hint == "Remove the containers using it first")
            #expect(inUse?.description.contains(String(id.dropFirst(7).prefix(12))) == true)

            try await client.removeContainer(container, force: true)
            try await client.removeImage(image)
            try await client.removeImage(image)
            #expect(try await client.inspectImage(image) == nil)
        }
    }

    @Test("waitHealthy: healthy, unhealthy, no health check, and a container that exits")
    func health() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-health")):1"
            await resources.image(image)
            try await TestImages.buildHTTPServer(image, version: "1")
            func run(_ healthcheck: Healthcheck?, cmd: [String]? = nil) async throws -> String {
                let id = try await client.createContainer(
                    name: TestImages.uniqueName("shipshape-test-health"),
                    spec: ContainerSpec(image: image, cmd: cmd, healthcheck: healthcheck))
                await resources.container(id)
                try await client.startContainer(id)
                return id
            }
            let fast = (interval: Duration.milliseconds(200), timeout: Duration.seconds(10))
            let good = try await run(
                .shell(
                    "wget -q -O /dev/null http://127.0.0.1:8080/version", interval: fast.interval,
                    timeout: fast.timeout, retries: 2,
                    startPeriod: .seconds(120)))  // failures while httpd starts (slowly, on a loaded host) do not count
            let bad = try await run(
                .shell("echo broken; exit 1", interval: fast.interval, timeout: fast.timeout, retries: 2))
            let none = try await run(nil)
            let exits = try await run(nil, cmd: ["/bin/sh", "-c", "exit 3"])

            #expect(
                try await client.waitHealthy(good, timeout: .seconds(120), pollInterval: .milliseconds(100)) == .healthy)
            #expect(
                try await client.waitHealthy(bad, timeout: .seconds(120), pollInterval: .milliseconds(100))
                    == .unhealthy(lastOutput: "broken"))
            #expect(try await client.waitHealthy(none, timeout: .seconds(5)) == .noHealthcheck)
            #expect(try await client.waitContainer(exits, timeout: .seconds(120)) == 3)
            let exited = await #expect(throws: DockerError.self) {
                try await client.waitHealthy(exits, timeout: .seconds(5))
            }
            #expect(exited?.code == .unhealthy)
            #expect(exited?.description.contains("exit code 3") == true)

            let slow = try await run(
                .shell("exit 1", interval: .seconds(30), timeout: .seconds(2), retries: 3, startPeriod: .seconds(60)))
            let timedOut = await #expect(throws: DockerError.self) {
                try await client.waitHealthy(slow, timeout: .milliseconds(500), pollInterval: .milliseconds(100))
            }
            #expect(timedOut?.code == .timeout)
        }
    }
}

@Suite("Rollout building blocks against the real daemon", .timeLimit(.minutes(10)))
struct RolloutBuildingBlockTests {
    @Test("the good and the bad test image settle healthy and unhealthy through their own health checks")
    func goodAndBadImages() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let repository = TestImages.uniqueName("shipshape-test-rollout")
            let good = "\(repository):1.0.0"
            let bad = "\(repository):1.0.1-bad"
            await resources.image(good)
            await resources.image(bad)
            try await TestImages.buildHTTPServer(good, version: "1.0.0", health: .passing)
            try await TestImages.buildHTTPServer(bad, version: "1.0.1", health: .failing)
            var ids: [String] = []
            for image in [good, bad] {
                let id = try await client.createContainer(
                    name: TestImages.uniqueName("shipshape-test-rollout"), spec: ContainerSpec(image: image))
                await resources.container(id)
                try await client.startContainer(id)
                ids.append(id)
            }
            #expect(
                try await client.waitHealthy(ids[0], timeout: .seconds(120), pollInterval: .milliseconds(200))
                    == .healthy)
            let outcome = try await client.waitHealthy(ids[1], timeout: .seconds(120), pollInterval: .milliseconds(200))
            guard case .unhealthy = outcome else {
                Issue.record("the bad image should turn unhealthy, got \(outcome)")
                return
            }
        }
    }

    @Test("a container can take another's name once that one is renamed away")
    func rename() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-rename")):1"
            await resources.image(image)
            try await TestImages.build(image, changes: [#"CMD ["/bin/sleep","300"]"#])
            let service = TestImages.uniqueName("shipshape-test-svc")
            let blue = try await client.createContainer(name: service, spec: ContainerSpec(image: image))
            await resources.container(blue)
            let green = try await client.createContainer(name: "\(service)-green", spec: ContainerSpec(image: image))
            await resources.container(green)

            let taken = await #expect(throws: DockerError.self) { try await client.renameContainer(green, to: service) }
            #expect(taken?.code == .conflict)
            try await client.renameContainer(blue, to: "\(service)-blue")
            try await client.renameContainer(green, to: service)
            #expect(try await client.inspectContainer(service).id == green)
            #expect(try await client.inspectContainer("\(service)-blue").id == blue)
        }
    }
}

@Suite("Image pruning against the real daemon", .timeLimit(.minutes(10)))
struct ImagePruneTests {
    @Test("pruning keeps the newest, the used and the protected images of one repository, and nothing else is touched")
    func prune() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let repository = TestImages.uniqueName("shipshape-test-prune")
            let other = "\(TestImages.uniqueName("shipshape-test-other")):1"
            await resources.image(other)
            try await TestImages.build(other, files: ["/version": "other"])
            for version in 1...4 {
                await resources.image("\(repository):\(version)")
                try await TestImages.build(
                    "\(repository):\(version)", files: ["/version": "\(version)"],
                    changes: [#"CMD ["/bin/sleep","300"]"#])
            }
            // A stopped container still holds its image.
            let user = try await client.createContainer(
                name: TestImages.uniqueName("shipshape-test-prune"), spec: ContainerSpec(image: "\(repository):1"))
            await resources.container(user)

            let removed = try await client.pruneImages(repository: repository, keep: 1, protecting: ["\(repository):2"])
            #expect(removed == ["\(repository):3"])
            let left = try await client.listImages(reference: repository).flatMap(\.repoTags).sorted()
            #expect(left == ["\(repository):1", "\(repository):2", "\(repository):4"])
            #expect(try await client.inspectImage(other) != nil)
            #expect(
                try await client.pruneImages(repository: repository, keep: 1, protecting: ["\(repository):2"]) == [])
        }
    }
}
