import Foundation
import ShipshapeDocker
import ShipshapeTesting
import Testing

@Suite("DockerClient images against the real daemon and a local registry", .timeLimit(.minutes(10)))
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

                let first = try await client.pullImage(remote, auth: nil)
                #expect(first.downloadedNewContent)
                let again = try await client.pullImage(remote, auth: nil)
                #expect(!again.downloadedNewContent, "second pull: \(again.status)")
                #expect(again.status.contains("up to date"))
                let image = try #require(try await client.inspectImage(remote))
                #expect(image.repoTags.contains(remote))
                #expect(image.repoDigests.contains { $0.hasPrefix("\(registry.address)/\(repository)@sha256:") })
                #expect(image.defaults.cmd == ["/bin/sh", "-c", "trap \"exit 0\" TERM; /bin/httpd -f -p 8080 -h /www & wait"])
                #expect(image.defaults.exposedPorts == [ContainerPort(8080)])

                // The same image pinned by digest: removed, then pulled back by `repo@sha256:…`.
                let pinned = try #require(image.repoDigests.first)
                await resources.image(pinned)
                try await client.removeImage(remote)
                #expect(try await client.inspectImage(pinned) == nil)
                try await client.pullImage(pinned, auth: nil)
                #expect(try await client.inspectImage(pinned)?.id == image.id)

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

@Suite("DockerClient pull failures part-way", .timeLimit(.minutes(10)))
struct DockerClientPullStreamTests {
    @Test("a layer missing from the registry fails the pull from the progress stream, naming the image")
    func missingLayer() async throws {
        let registry = try await LocalRegistry.start()
        do {
            try await DockerTestSupport.withResources { client, resources in
                let local = "\(TestImages.uniqueName("shipshape-test-src")):1.0.0"
                await resources.image(local)
                try await TestImages.buildHTTPServer(local, version: "broken")
                let remote = try await registry.push(local, as: TestImages.uniqueName("broken-api"), tag: "1.0.0")
                await resources.image(remote)
                // Delete the layer's blob (the larger file; the config blob is tiny): the manifest is
                // still served, so the daemon starts streaming progress and then fails the download.
                let blobs = "\(registry.storagePath)/docker/registry/v2/blobs/sha256"
                let files = try FileManager.default.subpathsOfDirectory(atPath: blobs).filter { $0.hasSuffix("/data") }
                let sizes = try files.map {
                    ($0, try FileManager.default.attributesOfItem(atPath: "\(blobs)/\($0)")[.size] as? Int ?? 0)
                }
                let layer = try #require(sizes.max { $0.1 < $1.1 }, "no blobs under \(blobs)")
                try FileManager.default.removeItem(atPath: "\(blobs)/\(layer.0)")
                // The daemon must not have the layer either, or it skips the download.
                await TestImages.remove(local)

                let error = await #expect(throws: DockerError.self) { try await client.pullImage(remote, auth: nil) }
                #expect(error?.code == .pullFailed)
                #expect(
                    error?.status == nil, "the failure comes from an error line of a 200 stream, not an HTTP status")
                #expect(error?.description.contains(remote) == true)
                #expect(error?.message.isEmpty == false)
                #expect(try await client.inspectImage(remote) == nil)
            }
        } catch {
            await registry.stop()
            throw error
        }
        await registry.stop()
    }
}
