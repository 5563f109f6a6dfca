import ArgumentParser
import Foundation
import Logging
import ShipshapeController

/// Where the manifests come from for `plan` and `apply`: a checkout folder, or the config file's
/// Git repository.
struct SourceOptions: ParsableArguments {
    @Option(name: .long, help: "Controller configuration file (its Git source is fetched).")
    var config: String?

    @Option(name: .long, help: "A folder of manifests (a checkout); no Git, no daemon.")
    var manifests: String?

    @Option(name: .long, help: "The environment to plan or apply (default: every environment).")
    var env: String?

    @Option(name: .long, help: "State folder for --manifests runs (default: ~/.local/state/shipshape).")
    var stateDir: String?

    func validate() throws {
        if (config == nil) == (manifests == nil) {
            throw ValidationError("give exactly one of --config FILE or --manifests DIR")
        }
    }

    /// The one-shot run these options describe.
    func oneShot(logger: Logger) throws -> OneShot {
        if let config {
            return OneShot(configuration: try ControllerConfiguration.load(path: config), logger: logger)
        }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        return OneShot(
            manifests: manifests!, stateDirectory: stateDir ?? "\(home)/.local/state/shipshape", logger: logger)
    }
}

/// Logging options shared by every command.
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .long, help: "Log format: text, json, or auto (json when stderr is not a terminal).")
    var logFormat: LogFormat = .auto

    func makeLogger(label: String = "shipshape") -> Logger {
        LoggingSetup.bootstrap(format: logFormat, level: logLevel)
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}
