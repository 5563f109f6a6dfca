import Foundation
import Testing

@testable import ShipshapeDocker

@Suite("DockerClient request building, without a daemon")
struct DockerClientUnitTests {
    @Test(
        "references split into name and tag or digest; no tag means latest",
        arguments: [
            ("busybox", "busybox", "latest"),
            ("127.0.0.1:5000/community-api", "127.0.0.1:5000/community-api", "latest"),
            ("127.0.0.1:5000/community-api:1.0.1", "127.0.0.1:5000/community-api", "1.0.1"),
            ("repo/app@sha256:abc", "repo/app", "sha256:abc"),
            ("host:5000/a/b:v2", "host:5000/a/b", "v2"),
        ])
    func splitReference(reference: String, name: String, tag: String) {
        let split = DockerClient.splitReference(reference)
        #expect(split.name == name)
        #expect(split.tagOrDigest == tag)
    }

    @Test("label filters are one sorted JSON object, percent-encoded in the query")
    func filters() {
        let json = DockerClient.filters(["label": ["b=2", "a=1"]])
        #expect(json == #"{"label":["a=1","b=2"]}"#)
        #expect(
            DockerClient.queryString([("filters", json)])
                == "?filters=%7B%22label%22%3A%5B%22a%3D1%22%2C%22b%3D2%22%5D%7D")
    }

    @Test("errors strip credentials from URLs")
    func sanitize() {
        let error = DockerError(
            code: .pullFailed, operation: "pull image", resource: "r",
            message: "Get \"https://user:s3cret@registry.example/v2/\": unauthorized")
        #expect(!error.description.contains("s3cret"))
        #expect(error.description.contains("https://registry.example/v2/"))
    }
}

@Suite("Container spec values, without a daemon")
struct ContainerSpecUnitTests {
    @Test("Docker's port keys, binds and restart policies parse and print back")
    func dockerForms() {
        #expect(ContainerPort(dockerKey: "8080/tcp") == ContainerPort(8080))
        #expect(ContainerPort(dockerKey: "53/udp") == ContainerPort(53, .udp))
        #expect(ContainerPort(dockerKey: "8080") == ContainerPort(8080))
        #expect(ContainerPort(dockerKey: "x/tcp") == nil)
        #expect(ContainerPort(dockerKey: "70000/tcp") == nil)
        #expect(
            VolumeBind(dockerBind: "/srv/data:/data:ro,z")
                == VolumeBind(source: "/srv/data", target: "/data", readOnly: true))
        #expect(VolumeBind(dockerBind: "cache:/cache")?.description == "cache:/cache")
        #expect(VolumeBind(dockerBind: "/only-one") == nil)
        #expect(RestartPolicy(name: "", maximumRetryCount: 0) == RestartPolicy.no)
        #expect(RestartPolicy(name: "on-failure", maximumRetryCount: 5)?.description == "on-failure:5")
        #expect(RestartPolicy(name: "sometimes", maximumRetryCount: 0) == nil)
    }

    @Test("a spec encodes to the same bytes whatever the set order, and decodes back equal")
    func stableEncoding() throws {
        let spec = ContainerSpec(
            image: "127.0.0.1:5000/api:1", cmd: ["/bin/httpd"], env: ContainerSpec.environment(["B": "2", "A": "1"]),
            labels: ["k": "v"], exposedPorts: Set((1...20).map { ContainerPort(9000 + $0) }),
            restartPolicy: .onFailure(maxRetries: 2), healthcheck: .shell("true", interval: .seconds(5)))
        #expect(spec.env == ["A=1", "B=2"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let first = try encoder.encode(spec)
        let object = try #require(try JSONSerialization.jsonObject(with: first) as? [String: Any])
        let ports = try #require(object["exposedPorts"] as? [[String: Any]]).compactMap { $0["port"] as? Int }
        #expect(ports == (1...20).map { 9000 + $0 }, "exposed ports encode sorted, whatever the set's order")
        #expect(try JSONDecoder().decode(ContainerSpec.self, from: first) == spec)
    }
}
