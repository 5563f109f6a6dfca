import Foundation
import ShipshapeDocker
import ShipshapeTesting
import Testing

@Suite("DockerClient images against the real daemon and a local registry", .timeLimit(.minutes(2)))
struct DockerClientImageTests {
    @Test("pull from a local registry, then inspect; a missing tag fails naming the image")
    func pullFromLocalRegistry() async throws {
        let registry = try await LocalRegistry.start()
        do {
            try await DockerTestSupport.withResources { client, resources in
                let local = "\(TestImages.uniqueName("shipshape-test-src")):1.0.0"
                await resources.image(local)
                try await TestImages.buildHTTPServer(local, version: "1.0.0")
                let repository = TestImages.uniqueName("community-api")
                let remote = try await registry.push(local, as: repository, tag: "1.0.0")
                await resources.image(remote)
                #expect(try await client.inspectImage(remote) == nil)

                try await client.pullImage(remote, auth: nil)
                let image = try #require(try await client.inspectImage(remote))
                #expect(image.repoTags.contains(remote))
                #expect(image.repoDigests.contains { $0.hasPrefix("\(registry.address)/\(repository)@sha256:") })
                #expect(image.defaults.cmd == ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"])
                #expect(image.defaults.exposedPorts == [ContainerPort(8080)])

                let missing = "\(registry.address)/\(repository):9.9.9"
                let error = await #expect(throws: DockerError.self) { try await client.pullImage(missing, auth: nil) }
                #expect(error?.code == .notFound || error?.code == .pullFailed)
                #expect(error?.description.contains(missing) == true)
                #expect(error?.message.isEmpty == false)
            }
        } catch {
            await registry.stop()
            throw error
        }
        await registry.stop()
    }

    @Test("pulling from a registry that does not answer fails with the image named")
    func pullFromClosedPort() async throws {
        let client = DockerTestSupport.client
        let port = try LoopbackPort.free()
        let reference = "127.0.0.1:\(port)/nothing-here:1"
        let error = await #expect(throws: DockerError.self) { try await client.pullImage(reference, auth: nil) }
        #expect(error?.description.contains(reference) == true)
    }

    @Test("inspecting an image the daemon lacks returns nil")
    func inspectMissingImage() async throws {
        let client = DockerTestSupport.client
        #expect(try await client.inspectImage("shipshape-test-absent:\(UUID().uuidString.lowercased())") == nil)
    }
}
