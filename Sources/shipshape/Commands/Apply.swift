import ArgumentParser
import Foundation
import ShipshapeController
import ShipshapeReconcile

/// `shipshape apply`: one reconcile cycle; 0 converged, 1 error.
struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run one reconcile cycle (exit 0 converged, 1 error).")

    @OptionGroup var source: SourceOptions
    @OptionGroup var logging: LogOptions

    func run() async throws {
        let logger = logging.makeLogger()
        let oneShot = try source.oneShot(logger: logger)
        let snapshot = try await oneShot.snapshot()
        var failed = false
        for environment in oneShot.environments(in: snapshot, only: source.env) {
            let outcome = try await oneShot.run(environment: environment, snapshot: snapshot, apply: true)
            for diagnostic in outcome.diagnostics { FileHandle.standardError.write(Data("\(diagnostic)\n".utf8)) }
            if let plan = outcome.plan { print(PlanRenderer.text(plan, colour: isatty(STDOUT_FILENO) == 1)) }
            if outcome.result == .success {
                print("\(environment): converged at \(PlanRenderer.shortRevision(snapshot.revision))")
            } else {
                failed = true
                FileHandle.standardError.write(Data("error: \(environment): \(outcome.message ?? "apply failed")\n".utf8))
            }
        }
        if failed { throw ExitCode(1) }
    }
}
