import ArgumentParser

/// `shipshape version`.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("shipshape \(ShipshapeVersion.current)")
    }
}
