import ArgumentParser
import ShipshapeController

/// `shipshape status`: the running daemon's status from its API; 0 healthy, 1 not.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the running controller's status (exit 0 healthy, 1 not).")

    @Option(name: .long, help: "The controller's HTTP address.")
    var address: String = "http://127.0.0.1:9090"

    @Flag(name: .long, help: "Print the raw JSON document.")
    var json = false

    func run() async throws {
        let (document, raw) = try await StatusClient.fetch(address: address)
        if json {
            print(raw)
        } else {
            let git = document.git.reachable ? "reachable" : "UNREACHABLE: \(document.git.lastError ?? "")"
            print("ready: \(document.ready)   git: \(git)")
            for env in document.environments {
                let applied = env.appliedRevision.map { String($0.prefix(12)) } ?? "none"
                print("\(env.environment): \(env.result.rawValue)  applied \(applied)  drifted \(env.drifted)")
                if let message = env.message { print("  \(message)") }
            }
        }
        let failing = document.environments.contains { $0.result == .failed || $0.result == .invalid }
        if !document.ready || !document.git.reachable || failing { throw ExitCode(1) }
    }
}
