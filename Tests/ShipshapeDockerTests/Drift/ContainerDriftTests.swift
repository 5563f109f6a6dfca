import Foundation
import ShipshapeDocker
import ShipshapeTesting
import Testing

@Suite("Container drift: inspect compared with the desired spec, against the real daemon", .timeLimit(.minutes(10)))
struct ContainerDriftTests {
    /// An image with defaults of its own (env, label, exposed port, command, working dir) that the
    /// comparison must not mistake for drift.
    static func buildImage(_ reference: String) async throws {
        try await TestImages.buildHTTPServer(
            reference, version: "2.0.0",
            extraChanges: [
                "ENV IMAGE_ONLY=from-image", "LABEL io.shipshape.from-image=yes", "WORKDIR /www", "EXPOSE 9999/tcp",
            ])
    }

    static func fullSpec(image: String, label: (key: String, value: String), hostPort: Int, volume: String)
        -> ContainerSpec
    {
        ContainerSpec(
            image: image,
            cmd: ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"],
            env: ["SPRING_PROFILES_ACTIVE=dev", "DB_PASSWORD=hunter2"],
            labels: [label.key: label.value, "io.shipshape.service": "api"],
            exposedPorts: [ContainerPort(9090, .udp)],
            publishedPorts: [
                PublishedPort(containerPort: ContainerPort(8080), hostIP: "127.0.0.1", hostPort: hostPort)
            ],
            volumes: [VolumeBind(source: volume, target: "/data", readOnly: true)],
            restartPolicy: .onFailure(maxRetries: 3),
            memoryBytes: 64 * 1024 * 1024,
            nanoCPUs: 500_000_000,
            logging: LogConfig(driver: "json-file", options: ["max-size": "1m", "max-file": "2"]),
            networkMode: "bridge",
            healthcheck: .shell(
                "wget -q -O /dev/null http://127.0.0.1:8080/version", interval: .seconds(1), timeout: .seconds(2),
                retries: 3,
                startPeriod: .seconds(1)),
            user: "0:0",
            workingDir: "/www")
    }

    @Test("a container created from a full spec shows no difference; the daemon reads every field back")
    func fullSpecRoundTrip() async throws {
        let volume = try TemporaryDirectory(prefix: "shipshape-volume")
        defer { volume.remove() }
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-drift")):2.0.0"
            await resources.image(image)
            try await Self.buildImage(image)
            let label = DockerTestSupport.uniqueLabel()
            let spec = Self.fullSpec(image: image, label: label, hostPort: try LoopbackPort.free(), volume: volume.path)
            let id = try await client.createContainer(name: TestImages.uniqueName("shipshape-test-drift"), spec: spec)
            await resources.container(id)
            try await client.startContainer(id)

            let details = try await client.inspectContainer(id)
            let imageDetails = try #require(try await client.inspectImage(image))
            #expect(details.differences(from: spec, image: imageDetails) == [])
            #expect(details.differences(from: spec) == [])

            // What the daemon holds: the spec plus the image's defaults.
            #expect(details.spec.memoryBytes == spec.memoryBytes)
            #expect(details.spec.nanoCPUs == spec.nanoCPUs)
            #expect(details.spec.restartPolicy == .onFailure(maxRetries: 3))
            #expect(details.spec.logging == spec.logging)
            #expect(details.spec.healthcheck == spec.healthcheck)
            #expect(details.spec.volumes == spec.volumes)
            #expect(details.spec.user == "0:0")
            #expect(details.env.contains("IMAGE_ONLY=from-image"))
            #expect(details.labels["io.shipshape.from-image"] == "yes")
            #expect(details.spec.exposedPorts == [ContainerPort(8080), ContainerPort(9999), ContainerPort(9090, .udp)])

            // A minimal spec (image defaults for everything) matches its container too.
            let minimal = ContainerSpec(image: image, labels: [label.key: label.value])
            let minimalID = try await client.createContainer(
                name: TestImages.uniqueName("shipshape-test-min"), spec: minimal)
            await resources.container(minimalID)
            let minimalDetails = try await client.inspectContainer(minimalID)
            #expect(minimalDetails.differences(from: minimal, image: imageDetails) == [])
            #expect(minimalDetails.differences(from: minimal) == [])
            // …and the full spec's container is not the minimal one.
            let fields = Set(details.differences(from: minimal, image: imageDetails).map(\.field))
            #expect(
                fields.isSuperset(of: [
                    "memoryBytes", "nanoCPUs", "restartPolicy", "publishedPorts", "volumes", "healthcheck", "user",
                    "env.DB_PASSWORD", "labels.io.shipshape.service",
                ]))
        }
    }

    @Test("a memory limit changed by hand (docker update) is reported as that one difference")
    func memoryChangedByHand() async throws {
        let volume = try TemporaryDirectory(prefix: "shipshape-volume")
        defer { volume.remove() }
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-drift")):2.0.0"
            await resources.image(image)
            try await Self.buildImage(image)
            let spec = Self.fullSpec(
                image: image, label: DockerTestSupport.uniqueLabel(), hostPort: try LoopbackPort.free(),
                volume: volume.path)
            let id = try await client.createContainer(name: TestImages.uniqueName("shipshape-test-drift"), spec: spec)
            await resources.container(id)
            try await client.startContainer(id)

            try await Command.run(["docker", "update", "--memory", "96m", id])
            let details = try await client.inspectContainer(id)
            let differences = details.differences(from: spec, image: try await client.inspectImage(image))
            #expect(
                differences == [
                    ContainerDifference(
                        field: "memoryBytes", before: String(96 * 1024 * 1024), after: String(64 * 1024 * 1024))
                ])
        }
    }

    @Test("a container recreated with other env, labels and image is reported field by field, env values redacted")
    func recreatedWithOtherSettings() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-drift")):2.0.0"
            let other = "\(TestImages.uniqueName("shipshape-test-other")):2.0.1"
            await resources.image(image)
            await resources.image(other)
            try await Self.buildImage(image)
            try await TestImages.buildHTTPServer(other, version: "2.0.1")
            let desired = ContainerSpec(
                image: image, env: ["MODE=dev", "TOKEN=desired-secret"], labels: ["team": "community"],
                restartPolicy: .always)
            var handMade = desired
            handMade.env = ["MODE=prod", "EXTRA=1", "TOKEN=desired-secret"]
            handMade.labels = ["team": "other"]
            handMade.restartPolicy = nil
            let id = try await client.createContainer(
                name: TestImages.uniqueName("shipshape-test-drift"), spec: handMade)
            await resources.container(id)
            let details = try await client.inspectContainer(id)
            let imageDetails = try await client.inspectImage(image)

            let differences = details.differences(from: desired, image: imageDetails)
            #expect(
                differences == [
                    ContainerDifference(field: "env.EXTRA", before: "(sensitive)", after: nil, isSensitive: true),
                    ContainerDifference(
                        field: "env.MODE", before: "(sensitive)", after: "(sensitive)", isSensitive: true),
                    ContainerDifference(field: "labels.team", before: "other", after: "community"),
                    ContainerDifference(field: "restartPolicy", before: "no", after: "always"),
                ])
            #expect(!differences.map(\.description).joined().contains("prod"))
            let revealed = details.differences(from: desired, image: imageDetails, revealEnvironmentValues: true)
            #expect(revealed.first { $0.field == "env.MODE" }?.before == "prod")

            // Without the image, only what the spec names is compared: EXTRA is not flagged.
            #expect(details.differences(from: desired).map(\.field) == ["env.MODE", "labels.team", "restartPolicy"])

            // Another image reference, and the same reference now naming another image id.
            var moved = desired
            moved.image = other
            let otherDetails = try await client.inspectImage(other)
            #expect(details.differences(from: moved, image: otherDetails).map(\.field).contains("image"))
            #expect(details.differences(from: moved, image: otherDetails).map(\.field).contains("imageID"))
        }
    }
}

@Suite("Container drift with an image health check", .timeLimit(.minutes(10)))
struct ContainerDriftHealthcheckTests {
    @Test("fields a desired health check leaves open are filled from the image's and are not drift")
    func mergedHealthcheck() async throws {
        try await DockerTestSupport.withResources { client, resources in
            let image = "\(TestImages.uniqueName("shipshape-test-hc")):1"
            await resources.image(image)
            try await TestImages.build(
                image,
                changes: [#"CMD ["/bin/sleep","300"]"#, #"HEALTHCHECK --interval=7s --retries=4 CMD ["/bin/true"]"#])
            let imageDetails = try #require(try await client.inspectImage(image))
            #expect(
                imageDetails.defaults.healthcheck
                    == Healthcheck(test: ["CMD", "/bin/true"], interval: .seconds(7), retries: 4))

            let partial = ContainerSpec(image: image, healthcheck: .shell("true", timeout: .seconds(3)))
            let partialID = try await client.createContainer(
                name: TestImages.uniqueName("shipshape-test-hc"), spec: partial)
            await resources.container(partialID)
            let partialDetails = try await client.inspectContainer(partialID)
            #expect(
                partialDetails.spec.healthcheck
                    == Healthcheck(
                        test: ["CMD-SHELL", "true"], interval: .seconds(7), timeout: .seconds(3), retries: 4))
            #expect(partialDetails.differences(from: partial, image: imageDetails) == [])
            #expect(partialDetails.differences(from: partial) == [])

            let inherited = ContainerSpec(image: image)
            let inheritedID = try await client.createContainer(
                name: TestImages.uniqueName("shipshape-test-hc"), spec: inherited)
            await resources.container(inheritedID)
            let inheritedDetails = try await client.inspectContainer(inheritedID)
            #expect(inheritedDetails.differences(from: inherited, image: imageDetails) == [])
            // The container with the partial check is not the one the image's check describes.
            #expect(partialDetails.differences(from: inherited, image: imageDetails).map(\.field) == ["healthcheck"])
            // A disabled check is a difference from the image's.
            let disabled = ContainerSpec(image: image, healthcheck: Healthcheck(test: ["NONE"]))
            #expect(inheritedDetails.differences(from: disabled, image: imageDetails).map(\.field) == ["healthcheck"])
        }
    }
}
