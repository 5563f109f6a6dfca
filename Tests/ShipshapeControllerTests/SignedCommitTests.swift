import Foundation
import ShipshapeController
import ShipshapeGit
import ShipshapeTesting
import Testing

/// `git.verify` against a running controller: only tips signed by an allowed SSH key are applied;
/// an unsigned tip is refused, the last good revision stays in force, a metric says why.
@Suite("Signed commits", .serialized)
struct SignedCommitTests {
    @Test("an unsigned tip is not applied under verification; a signed one is")
    func verification() async throws {
        try await DeploymentHarness.with { harness in
            let port = try LoopbackPort.free()
            let keyPath = harness.directory.appending("deployer")
            try await GitToolRunner.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deployer", "-f", keyPath])
            let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
                .joined(separator: " ")
            let signers = try harness.directory.write(
                "deployer@example.com namespaces=\"git\" \(publicKey)\n", to: "allowed_signers")

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
}
