import ArgumentParser
import Logging
import ShipshapeController

/// `shipshape run`: the daemon.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the controller until SIGTERM.")

    @Option(name: .long, help: "Controller configuration file.")
    var config: String = "/etc/shipshape/config.yaml"

    @OptionGroup var logging: LogOptions

    func run() async throws {
        let logger = logging.makeLogger()
        let configuration = try ControllerConfiguration.load(path: config)
        let controller = try await Controller(configuration: configuration, logger: logger)
        try await controller.run { port in
            logger.info("Listening", metadata: ["http.port": "\(port)"])
        }
    }
}
