import Foundation
@testable import ShipshapeDocker
import Testing

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
        #expect(DockerClient.queryString([("filters", json)]) == "?filters=%7B%22label%22%3A%5B%22a%3D1%22%2C%22b%3D2%22%5D%7D")
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
