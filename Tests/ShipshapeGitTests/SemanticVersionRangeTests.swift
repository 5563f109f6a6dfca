import ShipshapeGit
import Testing

@Suite("Semantic versions and ranges")
struct SemanticVersionRangeTests {
    @Test("parses tags and orders them by semver precedence")
    func precedence() throws {
        #expect(SemanticVersion("v1.2.3") == SemanticVersion(major: 1, minor: 2, patch: 3))
        #expect(SemanticVersion("1.2") == nil)
        #expect(SemanticVersion("01.2.3") == nil)
        #expect(SemanticVersion("latest") == nil)
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"]
        let versions = try ordered.map { try #require(SemanticVersion($0)) }
        #expect(versions.shuffled().sorted() == versions)
        #expect(SemanticVersion("1.0.0+build.5") == SemanticVersion("1.0.0"))
    }

    @Test(
        "ranges match as npm does",
        arguments: [
            (">=1.2.0 <2.0.0", ["1.2.0", "1.9.9"], ["1.1.9", "2.0.0", "1.5.0-rc.1"]),
            ("~1.4", ["1.4.0", "1.4.9"], ["1.5.0", "1.3.9"]),
            ("~1.4.2", ["1.4.2", "1.4.7"], ["1.4.1", "1.5.0"]),
            ("^1.0", ["1.0.0", "1.99.0"], ["2.0.0", "0.9.0", "2.0.0-rc.1"]),
            ("^0.3.1", ["0.3.1", "0.3.9"], ["0.4.0", "0.3.0"]),
            ("^0.0.3", ["0.0.3"], ["0.0.4"]),
            ("1.x", ["1.0.0", "1.8.2"], ["2.0.0"]),
            ("1.2.*", ["1.2.0", "1.2.5"], ["1.3.0"]),
            ("*", ["0.0.1", "9.9.9"], ["1.0.0-beta"]),
            ("=1.2.3", ["1.2.3"], ["1.2.4"]),
            ("<=1.2", ["1.2.9", "0.1.0"], ["1.3.0"]),
            (">1.2", ["1.3.0"], ["1.2.9"]),
            ("^1.2.0 || ^3.0.0", ["1.2.0", "3.1.0"], ["2.0.0"]),
            (">=1.5.0-rc.1 <2", ["1.5.0-rc.2", "1.6.0"], ["1.6.0-rc.1"]),
            ("1.2 - 1.4", ["1.2.0", "1.4.9"], ["1.5.0"]),
            (">= 1.2.0", ["1.2.0"], ["1.1.0"]),
        ])
    func ranges(range: String, inside: [String], outside: [String]) throws {
        let parsed = try SemanticVersionRange(range)
        for version in inside {
            #expect(parsed.contains(try #require(SemanticVersion(version))), "\(version) should be in \(range)")
        }
        for version in outside {
            #expect(!parsed.contains(try #require(SemanticVersion(version))), "\(version) should not be in \(range)")
        }
    }

    @Test("malformed ranges are invalidArgument errors", arguments: ["", "banana", ">=1.2.3.4", "1.2.x.5", "^", "||"])
    func malformed(range: String) {
        let error = #expect(throws: GitError.self) { try SemanticVersionRange(range) }
        #expect(error?.code == .invalidArgument)
    }
}
