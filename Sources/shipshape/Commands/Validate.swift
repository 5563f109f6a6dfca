import ArgumentParser
import Foundation
import ShipshapeManifest

/// `shipshape validate [DIR]`: decode and validate manifests; 0 valid, 1 invalid.
struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode and validate manifests (exit 0 valid, 1 invalid).",
        discussion: """
            Every problem is reported in one run with file, line and column. `--output github` \
            prints GitHub Actions annotations, so a pull request shows the errors inline.
            """)

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
        case github
    }

    @Argument(help: "The manifests folder.")
    var path: String = "manifests"

    @Option(name: .long, help: "Output format: text, json or github.")
    var output: Output = .text

    @Flag(name: .long, help: "Treat warnings (a `latest` or missing tag) as errors.")
    var strict = false

    func run() async throws {
        let bundle = try ManifestLoader.load(directory: path, options: ManifestOptions(strict: strict))
        switch output {
        case .text:
            let files = Set(bundle.diagnostics.map(\.file))
            let sources = files.compactMap { file in
                FileManager.default.contents(atPath: "\(path)/\(file)").map {
                    ManifestSource(path: file, contents: Array($0))
                }
            }
            print(DiagnosticFormatter.text(bundle.diagnostics, sources: sources), terminator: "")
            let names = bundle.environmentNames.joined(separator: ", ")
            print("\(bundle.environmentNames.count) environment(s): \(names)")
        case .json:
            print(DiagnosticFormatter.json(bundle.diagnostics))
        case .github:
            let prefix = path.hasSuffix("/") ? path : path + "/"
            print(DiagnosticFormatter.githubAnnotations(bundle.diagnostics, pathPrefix: prefix), terminator: "")
        }
        if !bundle.isValid { throw ExitCode(1) }
    }
}
