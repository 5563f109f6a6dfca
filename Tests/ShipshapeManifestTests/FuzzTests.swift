import Foundation
import Testing
@testable import ShipshapeManifest

/// A bounded fuzz run: random mutations of the example manifests go through the whole loader.
/// It must never crash or hang, every diagnostic must point into a given file, an environment is
/// valid exactly when nothing blocks it, and every valid environment must survive a render and
/// decode round trip. `SHIPSHAPE_FUZZ_ITERATIONS`, `SHIPSHAPE_FUZZ_SEED` and
/// `SHIPSHAPE_FUZZ_SECONDS` (a time budget, default 120) change the run; the run stops at whichever
/// of iterations and budget comes first, so CI time stays bounded on a slow machine.
@Suite("Fuzzing the decoder with mutated manifests")
struct FuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["SHIPSHAPE_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1000
    static let seed = ProcessInfo.processInfo.environment["SHIPSHAPE_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_124
    static let budget = Duration.seconds(ProcessInfo.processInfo.environment["SHIPSHAPE_FUZZ_SECONDS"].flatMap(Int.init) ?? 120)

    /// Mutations that keep the text YAML-like often enough to reach the decoder.
    enum Mutation: CaseIterable {
        case deleteRange, insertToken, duplicateLine, swapLines, reindentLine, replaceScalar, truncate, flipByte
    }

    static let tokens = [
        ": ", "- ", "[", "]", "{", "}", ",", "\"", "'", "#", "&a ", "*a", "<<: ", "~", "null", "true", "0", "-1", "65536",
        "1.5", "\n", "  ", "\t", "latest", "sha256:", "10.0.0.0/8", "::/0", "ssm:/x", "t3.small", "db.t3.micro", "\u{0}",
        "é", "\u{FEFF}", "? ", "|", ">", "!!str ", "%YAML 1.2\n---\n", "---\n", "...\n",
    ]

    static func mutate(_ text: String, using random: inout SeededGenerator) -> [UInt8] {
        var scalars = Array(text.unicodeScalars)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch Mutation.allCases.randomElement(using: &random)! {
        case .deleteRange:
            guard !scalars.isEmpty else { break }
            let start = Int.random(in: 0..<scalars.count, using: &random)
            let end = min(scalars.count, start + Int.random(in: 1...12, using: &random))
            scalars.removeSubrange(start..<end)
            return Array(String(String.UnicodeScalarView(scalars)).utf8)
        case .insertToken:
            let at = Int.random(in: 0...scalars.count, using: &random)
            scalars.insert(contentsOf: tokens.randomElement(using: &random)!.unicodeScalars, at: at)
            return Array(String(String.UnicodeScalarView(scalars)).utf8)
        case .duplicateLine:
            let index = Int.random(in: 0..<lines.count, using: &random)
            lines.insert(lines[index], at: index)
        case .swapLines:
            let first = Int.random(in: 0..<lines.count, using: &random)
            let second = Int.random(in: 0..<lines.count, using: &random)
            lines.swapAt(first, second)
        case .reindentLine:
            let index = Int.random(in: 0..<lines.count, using: &random)
            let trimmed = lines[index].drop { $0 == " " }
            lines[index] = String(repeating: " ", count: Int.random(in: 0...10, using: &random)) + trimmed
        case .replaceScalar:
            let index = Int.random(in: 0..<lines.count, using: &random)
            if let colon = lines[index].range(of: ": ") {
                lines[index] = String(lines[index][..<colon.upperBound]) + tokens.randomElement(using: &random)!
            }
        case .truncate:
            return Array(text.utf8.prefix(Int.random(in: 0...text.utf8.count, using: &random)))
        case .flipByte:
            var bytes = Array(text.utf8)
            guard !bytes.isEmpty else { break }
            bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            return bytes
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    @Test("mutated manifests never crash and keep the loader's invariants")
    func fuzz() throws {
        let names = ["base.yaml", "dev.yaml", "prod.yaml"]
        let originals = try names.map { name in
            let path = TestSources.manifestsDirectory + "/" + name
            let data = try #require(FileManager.default.contents(atPath: path))
            return String(decoding: data, as: UTF8.self)
        }
        var random = SeededGenerator(seed: Self.seed)
        let clock = ContinuousClock()
        let started = clock.now
        var validRuns = 0
        var iterations = 0
        for iteration in 0..<Self.iterations {
            if clock.now - started > Self.budget { break }
            iterations += 1
            var sources = zip(names, originals).map { ManifestSource(path: $0, text: $1) }
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<sources.count, using: &random)
                let text = String(decoding: sources[index].contents, as: UTF8.self)
                sources[index].contents = Self.mutate(text, using: &random)
            }
            let bundle = ManifestLoader.load(sources)
            let context = "seed \(Self.seed), iteration \(iteration)"
            for diagnostic in bundle.diagnostics {
                #expect(names.contains(diagnostic.file), "\(context): \(diagnostic)")
                #expect(diagnostic.line >= 1 && diagnostic.column >= 1, "\(context): \(diagnostic)")
                #expect(!diagnostic.message.isEmpty, "\(context)")
            }
            for name in bundle.environmentNames {
                let blocked = bundle.diagnostics(for: name).contains { $0.severity == .error }
                #expect((bundle.environments[name] == nil) == blocked, "\(context): environment \(name)")
            }
            for (name, environment) in bundle.environments {
                validRuns += 1
                let rendered = ManifestRenderer.render(environment)
                let again = ManifestLoader.load([ManifestSource(path: "\(name).yaml", text: rendered)])
                #expect(again.environments[name] == environment, "\(context): \(name) does not survive a round trip:\n\(rendered)")
            }
            _ = DiagnosticFormatter.text(bundle.diagnostics, sources: sources)
        }
        let elapsed = clock.now - started
        // Most mutations leave some environment valid, so the round trip is exercised too.
        #expect(iterations >= min(Self.iterations, 50), "the time budget allowed only \(iterations) iterations")
        #expect(validRuns > iterations / 4, "only \(validRuns) valid environments in \(iterations) runs")
        print("fuzz: seed \(Self.seed), \(iterations) iterations, \(validRuns) valid environments round-tripped, \(elapsed)")
    }
}
