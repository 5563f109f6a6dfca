import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ShipshapeController
import ShipshapeDocker
import ShipshapeTesting
import Testing

/// The walking skeleton end to end, against the real Git, the real dockerd and the real registry:
/// a commit in a config repository becomes a running container.
@Suite("End to end", .serialized)
struct EndToEndTests {
    @Test("a tag bump rolls out; a bad revision changes nothing; metrics follow")
    func tagBumpRollsOut() async throws {
        try await DeploymentHarness.with { harness in
            let hostPort = try LoopbackPort.free()
            try await harness.repo.commit(
                "v1", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.0", hostPort: hostPort)])
            try await harness.withController { controller in
                try await rollOut(harness, controller, hostPort: hostPort)
            }
        }
    }

    func rollOut(_ harness: DeploymentHarness, _ controller: RunningController, hostPort: Int) async throws {
        let repo = harness.repo

        // v1 is deployed and serves its version on 127.0.0.1.
        try await eventually("1.0.0 served") { try await served(hostPort) == "1.0.0" }
        let first = try await harness.containers()
        #expect(first.count == 1)
        #expect(first.first?.labels["shipshape.io/managed-by"] == "shipshape")
        #expect(first.first?.labels["shipshape.io/environment"] == harness.env)
        #expect(first.first?.labels["shipshape.io/resource"] == "service/api")
        let v1Revision = try await repo.head()
        try await eventually("metrics show v1 applied") {
            try await controller.metrics().contains(
                "shipshape_last_applied_info{env=\"\(harness.env)\",revision=\"\(v1Revision)\"} 1")
        }

        // A new commit bumps the tag: the old container is replaced by one running the new image.
        try await repo.commit("v2", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.1", hostPort: hostPort)])
        let v2Revision = try await repo.head()
        try await eventually("1.0.1 served") { try await served(hostPort) == "1.0.1" }
        try await eventually("old container gone") {
            let now = try await harness.containers()
            return now.count == 1 && now.first?.id != first.first?.id
        }
        let second = try await harness.containers()
        #expect(second.first?.image.hasSuffix(":1.0.1") == true, "image: \(second.first?.image ?? "none")")
        try await eventually("metrics show v2 applied") {
            let text = try await controller.metrics()
            return text.contains("shipshape_last_applied_info{env=\"\(harness.env)\",revision=\"\(v2Revision)\"} 1")
                && !text.contains("revision=\"\(v1Revision)\"")
        }
        let metrics = try await controller.metrics()
        #expect(metrics.contains("shipshape_reconcile_total{env=\"\(harness.env)\",result=\"success\"}"))
        #expect(metrics.contains("# TYPE shipshape_reconcile_duration_seconds histogram"))
        #expect(metrics.contains("shipshape_git_fetch_total{result=\"success\"}"))
        #expect(metrics.contains("shipshape_manifest_valid{env=\"\(harness.env)\"} 1"))

        // A revision that does not decode: nothing changes, the error names file and line, and
        // /metrics says so.
        try await repo.commit(
            "broken", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.0", hostPort: hostPort) + "    bogus: true\n"])
        try await eventually("manifest marked invalid") {
            try await controller.metrics().contains("shipshape_manifest_valid{env=\"\(harness.env)\"} 0")
        }
        let status = try await controller.get("/api/v1/status")
        #expect(status.contains("\"result\" : \"invalid\""))
        #expect(status.contains("manifests/\(harness.env).yaml:") || status.contains("\(harness.env).yaml:"))
        #expect(try await served(hostPort) == "1.0.1")
        #expect(try await harness.containers().map(\.id) == second.map(\.id))

        #expect(try await controller.get("/healthz") == "ok\n")
    }

    @Test("an unreachable Docker daemon is a clear failure and a retry, never a crash")
    func dockerUnreachable() async throws {
        try await DeploymentHarness.with(dockerSocket: "/nonexistent/docker.sock") { harness in
            let hostPort = try LoopbackPort.free()
            try await harness.repo.commit(
                "v1", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.0", hostPort: hostPort)])
            try await harness.withController { controller in
                try await eventually("two failed cycles") {
                    let text = try await controller.metrics()
                    return text.contains("shipshape_reconcile_total{env=\"\(harness.env)\",result=\"failure\"} 2")
                }
                let status = try await controller.get("/api/v1/status")
                #expect(status.contains("/nonexistent/docker.sock"))
                #expect(try await controller.get("/healthz") == "ok\n")
            }
        }
    }
}

/// Polls `condition` every 100 ms for up to `timeout`.
func eventually(
    _ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if try await condition() { return }
        } catch {
            lastError = error
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw HarnessError("timed out waiting for: \(what)\(lastError.map { " (last error: \($0))" } ?? "")")
}

/// What 127.0.0.1:`port`/version answers.
func served(_ port: Int) async throws -> String {
    let response = try await HTTPClient.shared.execute(
        HTTPClientRequest(url: "http://127.0.0.1:\(port)/version"), timeout: .seconds(2))
    let body = try await response.body.collect(upTo: 1 << 16)
    return String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
}

extension EndToEndTests {
    @Test("files under manifests/schema/ and files that are not YAML are not read as manifests from Git")
    func schemaFolderIgnored() async throws {
        try await DeploymentHarness.with { harness in
            let port = try LoopbackPort.free()
            try await harness.repo.commit(
                "v1 with a schema",
                files: [
                    "manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.0", hostPort: port),
                    "manifests/schema/shipshape-v1.schema.json": #"{"$schema": "https://json-schema.org/draft/2020-12/schema"}"#,
                    "manifests/schema/extra.yaml": "not: a manifest\n",
                    "manifests/README.md": "# notes\n",
                ])
            try await harness.withController { controller in
                try await eventually("1.0.0 served") { try await served(port) == "1.0.0" }
                #expect(try await controller.metrics().contains("shipshape_manifest_valid{env=\"\(harness.env)\"} 1"))
            }
        }
    }
}
