import ArgumentParser
import ShipshapeManifest

/// `shipshape render --env E [DIR]`: the merged environment (base + overlays) as canonical YAML.
struct Render: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print an environment as it really is: base.yaml merged with its overlays.")

    @Argument(help: "The manifests folder.")
    var path: String = "manifests"

    @Option(name: .long, help: "The environment to render.")
    var env: String

    func run() async throws {
        let bundle = try ManifestLoader.load(directory: path)
        guard bundle.environmentNames.contains(env) else {
            throw ValidationError(
                "no environment \(env) in \(path) (found: \(bundle.environmentNames.joined(separator: ", ")))")
        }
        guard let environment = bundle.environments[env] else {
            print(DiagnosticFormatter.text(bundle.diagnostics(for: env)), terminator: "")
            throw ExitCode(1)
        }
        print(ManifestRenderer.render(environment), terminator: "")
    }
}
