import ArgumentParser
import Foundation
import ShipshapeController

/// Where the running controller is, and the admin token for state-changing commands.
struct ControllerOptions: ParsableArguments {
    @Option(name: .long, help: "The controller's HTTP address.")
    var address: String = "http://127.0.0.1:9090"

    @Option(name: .long, help: "File with the admin token (state-changing commands only).")
    var tokenFile: String = "/etc/shipshape/admin-token"

    func client(admin: Bool) throws -> ControllerClient {
        ControllerClient(address: address, token: admin ? try SecretFile.read(tokenFile, what: "--token-file") : nil)
    }
}

/// `shipshape status`: the running daemon's status from its API; 0 healthy, 1 not.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the running controller's status (exit 0 healthy, 1 not).")

    @OptionGroup var controller: ControllerOptions

    @Flag(name: .long, help: "Print the raw JSON document.")
    var json = false

    func run() async throws {
        let (document, raw) = try await controller.client(admin: false).status()
        if json {
            print(raw)
        } else {
            let git = document.git.reachable ? "reachable" : "UNREACHABLE: \(document.git.lastError ?? "")"
            print("ready: \(document.ready)   git: \(git)")
            for env in document.environments {
                let applied = env.appliedRevision.map { String($0.prefix(12)) } ?? "none"
                print("\(env.environment): \(env.result.rawValue)  applied \(applied)  drifted \(env.drifted)")
                if let pinned = env.pinnedRevision {
                    print("  PINNED to \(pinned.prefix(12)) by a rollback: the branch is not followed until `shipshape unpin \(env.environment)`")
                }
                if let pending = env.pendingApproval {
                    print("  PENDING \(pending.id) waits for \(pending.waitingFor) since \(pending.since):")
                    for change in pending.changes { print("    \(change)") }
                }
                if let message = env.message { print("  \(message)") }
            }
        }
        let failing = document.environments.contains { $0.result == .failed || $0.result == .invalid }
        if !document.ready || !document.git.reachable || failing { throw ExitCode(1) }
    }
}

/// `shipshape history --env E`.
struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the environment's recent reconcile cycles.")

    @OptionGroup var controller: ControllerOptions
    @Option(name: .long, help: "The environment.") var env: String
    @Option(name: .long, help: "How many cycles to show.") var limit: Int = 20

    func run() async throws {
        for entry in try await controller.client(admin: false).history(env).suffix(limit) {
            let seconds = String(format: "%.2fs", entry.durationSeconds)
            var line = "\(entry.time)  \(entry.revision.prefix(12))  \(entry.result)  \(seconds)"
            if let plan = entry.plan { line += "  [\(plan)]" }
            if let message = entry.message { line += "  \(message)" }
            print(line)
        }
    }
}

/// One admin action on one environment.
struct AdminCommand {
    static func run(_ options: ControllerOptions, _ env: String, _ action: String, body: [String: String]? = nil)
        async throws
    {
        let answer = try await options.client(admin: true).post(env, action, body: body)
        print(answer.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
    }
}

struct Suspend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop reconciling an environment (survives restarts).")
    @OptionGroup var controller: ControllerOptions
    @Argument(help: "The environment.") var env: String
    func run() async throws { try await AdminCommand.run(controller, env, "suspend") }
}

struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reconcile a suspended environment again.")
    @OptionGroup var controller: ControllerOptions
    @Argument(help: "The environment.") var env: String
    func run() async throws { try await AdminCommand.run(controller, env, "resume") }
}

struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve the plan waiting in an environment (its id is in `shipshape status`).")
    @OptionGroup var controller: ControllerOptions
    @Argument(help: "The plan id, plan-…") var plan: String
    @Option(name: .long, help: "The environment.") var env: String
    func run() async throws { try await AdminCommand.run(controller, env, "approve", body: ["plan": plan]) }
}

struct Rollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-apply a previous revision and pin it until `shipshape unpin`.")
    @OptionGroup var controller: ControllerOptions
    @Option(name: .long, help: "The environment.") var env: String
    @Option(name: .long, help: "The revision (commit id) to roll back to.") var to: String
    func run() async throws { try await AdminCommand.run(controller, env, "rollback", body: ["revision": to]) }
}

struct Unpin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Follow the branch again after a rollback.")
    @OptionGroup var controller: ControllerOptions
    @Argument(help: "The environment.") var env: String
    func run() async throws { try await AdminCommand.run(controller, env, "unpin") }
}

struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a reconcile cycle of an environment now.")
    @OptionGroup var controller: ControllerOptions
    @Argument(help: "The environment.") var env: String
    func run() async throws { try await AdminCommand.run(controller, env, "reconcile") }
}
