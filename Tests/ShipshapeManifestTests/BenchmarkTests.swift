import Testing
@testable import ShipshapeManifest

/// A benchmark, not a timed test: it checks that a 5,000-resource environment decodes completely
/// and prints how long decode + validate took. Run it optimised for the number worth reporting:
///
///     swift test -c release -Xswiftc -enable-testing --filter BenchmarkTests
@Suite("Benchmark: decode and validate a 5,000-resource environment")
struct BenchmarkTests {
    @Test("5,000 resources decode and validate; prints the time per run")
    func largeEnvironment() throws {
        let counts = LargeEnvironment.Counts()
        let sources = LargeEnvironment.sources(counts: counts)
        let bytes = sources.reduce(0) { $0 + $1.contents.count }
        let clock = ContinuousClock()
        var bundle: ManifestBundle?
        var times: [Duration] = []
        for _ in 0..<3 {
            times.append(clock.measure { bundle = ManifestLoader.load(sources) })
        }
        let result = try #require(bundle)
        #expect(result.diagnostics.map(\.description).prefix(5) == [])
        let environment = try #require(result.environments["perf"])
        #expect(environment.spec.services.count == counts.services)
        #expect(environment.spec.securityGroups.count == counts.securityGroups)
        #expect(environment.spec.instances.count == counts.instances)
        #expect(environment.spec.databases.count == counts.databases)
        #expect(counts.total == 5_000)
        let best = times.min()!
        print("benchmark: \(counts.total) resources, \(bytes) bytes in \(sources.count) files: decode+validate best \(best), runs \(times)")
    }
}
