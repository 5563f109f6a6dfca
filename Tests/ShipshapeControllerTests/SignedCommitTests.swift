import Foundation
import ShipshapeController
import ShipshapeGit
import ShipshapeTesting
import Testing

/// `git.verify` against a running controller: only tips signed by an allowed SSH key are applied;
/// an unsigned tip is refused, the last good revision stays in force, a metric says why.
@Suite("Signed commits", .serialized)
struct SignedCommitTests {
    /// A new ed25519 key `NAME` in `directory` and an allowed_signers file trusting it for Git
    /// (principal `NAME@example.com`): the private key's path and the file's.
    static func signingKey(_ name: String, in directory: TemporaryDirectory) async throws -> (key: String, allowedSigners: String) {
        let keyPath = directory.appending(name)
        try await GitToolRunner.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", keyPath])
        let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
            .joined(separator: " ")
        let signers = try directory.write("\(name)@example.com namespaces=\"git\" \(publicKey)\n", to: "allowed_signers")
        return (keyPath, signers)
    }

    @Test("an unsigned tip is not applied under verification; a signed one is")
    func verification() async throws {
        try await DeploymentHarness.with { harness in
            let port = try LoopbackPort.free()
            let (keyPath, signers) = try await Self.signingKey("deployer", in: harness.directory)

            func signedCommit(_ tag: String) async throws {
                try Data(harness.manifest(tag: tag, hostPort: port).utf8).write(
                    to: URL(fileURLWithPath: "\(harness.repo.path)/manifests/\(harness.env).yaml"))
                try await harness.repo.git(["add", "--all"])
                try await harness.repo.git([
                    "-c", "gpg.format=ssh", "-c", "user.signingkey=\(keyPath)", "commit", "--quiet", "--allow-empty", "-S", "-m", tag,
                ])
            }

            try await signedCommit("1.0.0")
            var configuration = harness.configuration()
            configuration.git.verify = CommitVerificationPolicy(mode: .head, allowedSignersFile: signers)
            try await harness.withController(configuration) { controller in
                try await eventually("signed v1 served") { try await served(port) == "1.0.0" }

                // An unsigned commit: refused, v1 keeps running.
                try await harness.repo.commit(
                    "unsigned", files: ["manifests/\(harness.env).yaml": harness.manifest(tag: "1.0.1", hostPort: port)])
                try await eventually("signature refused") {
                    try await controller.metrics().contains("shipshape_commit_signature_refused_total 1")
                }
                try await Task.sleep(for: .seconds(1))
                #expect(try await served(port) == "1.0.0")
                let status = try await ControllerClient(address: "http://127.0.0.1:\(controller.port)").status().document
                #expect(status.git.lastError?.contains("is not applied") == true)

                // Signed again: applied.
                try await signedCommit("1.0.1")
                try await eventually("signed v2 served") { try await served(port) == "1.0.1" }
            }
        }
    }

    @Test("a signed commit with an Approve-Plan trailer approves the pending plan; an unsigned one does not")
    func approvalByTrailer() async throws {
        try await DeploymentHarness.with { harness in
            let apiPort = try LoopbackPort.free()
            let workerPort = try LoopbackPort.free()
            let (keyPath, signers) = try await Self.signingKey("approver", in: harness.directory)
            let policy = "{ prune: true, approval: disruptive }"
            let worker = """
                    worker:
                      runtime: docker
                      image: \(harness.image)
                      tag: "1.0.0"
                      ports: ["127.0.0.1:\(workerPort):8080"]

                """
            func commit(_ message: String, services: String?, signed: Bool) async throws {
                if let services {
                    try Data(harness.manifest(tag: "1.0.0", hostPort: apiPort, services: services, policy: policy).utf8).write(
                        to: URL(fileURLWithPath: "\(harness.repo.path)/manifests/\(harness.env).yaml"))
                    try await harness.repo.git(["add", "--all"])
                }
                let sign = signed ? ["-c", "gpg.format=ssh", "-c", "user.signingkey=\(keyPath)"] : []
                try await harness.repo.git(sign + ["commit", "--quiet", "--allow-empty"] + (signed ? ["-S"] : []) + ["-m", message])
            }

            try await commit("api and worker", services: worker, signed: true)
            var configuration = harness.configuration()
            configuration.git.verify = CommitVerificationPolicy(mode: .head, allowedSignersFile: signers)
            try await harness.withController(configuration) { controller in
                let client = ControllerClient(address: "http://127.0.0.1:\(controller.port)")
                try await eventually("both services run") { try await harness.containers().count == 2 }

                // Dropping the worker is a delete: it waits for approval.
                try await commit("drop worker", services: "", signed: true)
                var planID = ""
                try await eventually("plan pending") {
                    planID = try await client.status().document.environments.first?.pendingApproval?.id ?? ""
                    return !planID.isEmpty
                }

                // An unsigned approval is refused as a tip, and ignored once a signed commit follows it.
                try await commit("approve\n\nApprove-Plan: \(planID)", services: nil, signed: false)
                try await commit("unrelated signed change", services: nil, signed: true)
                let tip = try await harness.repo.git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
                // A cycle at that tip ran (the status's revision is set when a cycle ends), with the
                // trailers of both commits looked at.
                try await eventually("the signed tip was reconciled") {
                    try await client.status().document.environments.first?.latestRevision == tip
                }
                #expect(try await client.status().document.environments.first?.pendingApproval?.id == planID)
                #expect(try await harness.containers().count == 2, "an unsigned approval must not run the plan")

                // A signed approval runs it.
                try await commit("approve the prune\n\nApprove-Plan: \(planID)\nSigned-off-by: Approver <approver@example.com>", services: nil, signed: true)
                try await eventually("worker removed after the signed approval") { try await harness.containers().count == 1 }
                try await eventually("converged") {
                    try await client.status().document.environments.first?.result == .converged
                }
                #expect(try await client.status().document.environments.first?.pendingApproval == nil)
                #expect(try await served(apiPort) == "1.0.0")
            }
        }
    }
}
