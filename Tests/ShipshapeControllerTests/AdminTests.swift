import AsyncHTTPClient
import Foundation
import NIOCore
import ShipshapeController
import ShipshapeDocker
import ShipshapeTesting
import Testing

/// The admin API against a running controller, the real dockerd and a real Git repository:
/// approvals for disruptive changes, suspend/resume, rollback with pin, history.
@Suite("Admin operations", .serialized)
struct AdminTests {
    @Test("a prune waits for approval; the approved plan runs; a wrong or missing token changes nothing")
    func approvalFlow() async throws {
        try await DeploymentHarness.with { harness in
            let apiPort = try LoopbackPort.free()
            let extraPort = try LoopbackPort.free()
            let policy = "{ prune: true, approval: disruptive }"
            let extra = """
                    worker:
                      runtime: docker
                      image: \(harness.image)
                      tag: "1.0.0"
                      ports: ["127.0.0.1:\(extraPort):8080"]

                """
            try await harness.repo.commit(
                "two services",
                files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.0", hostPort: apiPort, services: extra, policy: policy)])
            try await harness.withController { controller in
                try await eventually("both services run") { try await harness.containers().count == 2 }

                // Removing a service is a delete: disruptive, so it waits for approval.
                try await harness.repo.commit(
                    "drop worker",
                    files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.0", hostPort: apiPort, policy: policy)])
                let client = ControllerClient(address: "http://127.0.0.1:\(controller.port)")
                var planID = ""
                try await eventually("plan pending") {
                    let env = try await client.status().document.environments.first
                    planID = env?.pendingApproval?.id ?? ""
                    return env?.result == .held && !planID.isEmpty
                }
                #expect(try await harness.containers().count == 2)
                #expect(try await controller.metrics().contains("shipshape_pending_approval_age_seconds{env=\"\(harness.env)\"}"))

                // No token, a wrong token, a wrong plan id: refused, nothing changes.
                await #expect(throws: ControllerClientError.self) { try await client.post(harness.env, "approve", body: ["plan": planID]) }
                let wrong = ControllerClient(address: client.address, token: "not-the-token")
                await #expect(throws: ControllerClientError.self) { try await wrong.post(harness.env, "approve", body: ["plan": planID]) }
                let admin = ControllerClient(address: client.address, token: DeploymentHarness.adminToken)
                await #expect(throws: ControllerClientError.self) { try await admin.post(harness.env, "approve", body: ["plan": "plan-000000000000"]) }
                #expect(try await harness.containers().count == 2)

                try await admin.post(harness.env, "approve", body: ["plan": planID])
                try await eventually("worker removed after approval") { try await harness.containers().count == 1 }
                try await eventually("converged") {
                    try await client.status().document.environments.first?.result == .converged
                }
                #expect(try await served(apiPort) == "1.0.0")
            }
        }
    }

    @Test("rollback pins a revision until unpin; suspend stops reconciling; history records cycles")
    func rollbackSuspendHistory() async throws {
        try await DeploymentHarness.with { harness in
            let port = try LoopbackPort.free()
            try await harness.repo.commit("v1", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.0", hostPort: port)])
            let v1 = try await harness.repo.head()
            try await harness.withController { controller in
                try await eventually("v1 served") { try await served(port) == "1.0.0" }
                try await harness.repo.commit("v2", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.1", hostPort: port)])
                try await eventually("v2 served") { try await served(port) == "1.0.1" }

                let admin = ControllerClient(address: "http://127.0.0.1:\(controller.port)", token: DeploymentHarness.adminToken)
                let answer = try await admin.post(harness.env, "rollback", body: ["revision": String(v1.prefix(10))])
                #expect(answer["pinned"] == v1)
                try await eventually("v1 served again") { try await served(port) == "1.0.0" }
                // Several poll intervals later the branch tip (v2) has not undone the rollback.
                try await Task.sleep(for: .seconds(2))
                #expect(try await served(port) == "1.0.0")
                let pinned = try await admin.status().document.environments.first
                #expect(pinned?.pinnedRevision == v1)

                try await admin.post(harness.env, "unpin")
                try await eventually("v2 served after unpin") { try await served(port) == "1.0.1" }

                // Suspended: a container removed by hand stays removed.
                try await admin.post(harness.env, "suspend")
                try await eventually("suspended") {
                    try await admin.status().document.environments.first?.result == .suspended
                }
                for container in try await harness.containers() {
                    try await Command.run(["docker", "rm", "-f", container.id])
                }
                try await Task.sleep(for: .seconds(2))
                #expect(try await harness.containers().isEmpty)
                #expect(try await controller.metrics().contains("shipshape_suspended{env=\"\(harness.env)\"} 1"))
                try await admin.post(harness.env, "resume")
                try await eventually("drift repaired after resume") { try await served(port) == "1.0.1" }

                let history = try await admin.history(harness.env)
                #expect(history.count >= 4)
                #expect(history.contains { $0.revision == v1 && $0.result == "success" })
            }
        }
    }
}
