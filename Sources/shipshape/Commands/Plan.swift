import ArgumentParser
import Foundation
import ShipshapeController
import ShipshapeReconcile

/// `shipshape plan`: observe live state and print the plan; 0 no changes, 2 changes, 1 error.
struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what apply would change (exit 0 no changes, 2 changes, 1 error).")

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @OptionGroup var source: SourceOptions
    @OptionGroup var logging: LogOptions

    @Option(name: .long, help: "Output format: text or json.")
    var output: Output = .text

    func run() async throws {
        let logger = logging.makeLogger()
        let oneShot = try source.oneShot(logger: logger)
        let snapshot = try await oneShot.snapshot()
        var failed = false
        var changes = false
        var documents: [PlanDocument] = []
        for environment in oneShot.environments(in: snapshot, only: source.env) {
            let outcome = try await oneShot.run(environment: environment, snapshot: snapshot, apply: false)
            for diagnostic in outcome.diagnostics { FileHandle.standardError.write(Data("\(diagnostic)\n".utf8)) }
            guard let plan = outcome.plan, outcome.result == .success else {
                failed = true
                FileHandle.standardError.write(
                    Data("error: \(environment): \(outcome.message ?? "plan failed")\n".utf8))
                continue
            }
            changes = changes || !plan.isEmpty
            switch output {
            case .text:
                print(PlanRenderer.text(plan, colour: isatty(STDOUT_FILENO) == 1))
            case .json:
                documents.append(PlanDocument(plan))
            }
        }
        if output == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(documents), as: UTF8.self))
        }
        if failed { throw ExitCode(1) }
        if changes { throw ExitCode(2) }
    }
}
