import Foundation
import Testing
@testable import ShipshapeManifest

/// `manifests/schema/shipshape-v1.schema.json` is written by hand for editors; these tests hold it
/// to the decoder: the same keys per object, the same enumerations, and patterns that agree with
/// the decoder's syntax checks on sample values.
@Suite("JSON Schema agrees with the decoder")
struct SchemaTests {
    static func schema() throws -> [String: Any] {
        let path = TestSources.manifestsDirectory + "/schema/shipshape-v1.schema.json"
        let data = try #require(FileManager.default.contents(atPath: path), "missing \(path)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func definitions() throws -> [String: [String: Any]] {
        try #require(try schema()["$defs"] as? [String: [String: Any]])
    }

    @Test("every object lists exactly the keys the decoder accepts, and refuses others")
    func keysMatch() throws {
        let definitions = try Self.definitions()
        for (name, keys) in ManifestKeys.all {
            let definition = try #require(definitions[name], "schema has no $defs/\(name)")
            let properties = try #require(definition["properties"] as? [String: Any], "$defs/\(name) has no properties")
            #expect(Set(properties.keys) == Set(keys), "$defs/\(name)")
            #expect(definition["additionalProperties"] as? Bool == false, "$defs/\(name) must refuse unknown keys")
        }
        let objectDefinitions = definitions.filter { $0.value["properties"] != nil }.keys
        #expect(Set(objectDefinitions) == Set(ManifestKeys.all.keys), "schema objects without a decoder table, or the reverse")
    }

    @Test("enumerations match the Swift model")
    func enumerationsMatch() throws {
        let definitions = try Self.definitions()
        func values(_ definition: String, _ property: String, items: Bool = false) throws -> [String] {
            let properties = try #require(definitions[definition]?["properties"] as? [String: Any])
            var node = try #require(properties[property] as? [String: Any], "\(definition).\(property)")
            if items { node = try #require(node["items"] as? [String: Any]) }
            return try #require(node["enum"] as? [String], "\(definition).\(property) has no enum")
        }
        #expect(try values("document", "kind") == DocumentKind.allCases.map(\.rawValue))
        #expect(try values("service", "runtime") == Service.Runtime.allCases.map(\.rawValue))
        #expect(try values("strategy", "type") == DeploymentStrategy.Kind.allCases.map(\.rawValue))
        #expect(try values("restart", "policy") == ["never", "always", "unlessStopped", "onFailure"])
        #expect(try values("ecs", "launchType") == ECSPlacement.LaunchType.allCases.map(\.rawValue))
        #expect(try values("database", "engine") == Database.Engine.allCases.map(\.rawValue))
        #expect(try values("rule", "protocol") == SecurityGroupRule.IPProtocol.allCases.map(\.rawValue))
        #expect(try values("policy", "detectOnly", items: true) == ResourceSection.allCases.map(\.rawValue))
        #expect(try values("policy", "approval") == ApprovalMode.allCases.map(\.rawValue))
        #expect(try values("alertRoute", "events", items: true) == AlertEvent.allCases.map(\.rawValue))
        #expect(try values("alertRoute", "minSeverity") == AlertSeverity.allCases.map(\.rawValue))
        let apiVersion = try #require(definitions["document"]?["properties"] as? [String: Any])["apiVersion"] as? [String: Any]
        #expect(apiVersion?["const"] as? String == SpecDecoder.apiVersion)
    }

    /// A schema pattern and the decoder's check must agree on every sample.
    private func agree(_ pattern: String, _ samples: [String], _ decoder: (String) -> Bool) throws {
        let regex = try NSRegularExpression(pattern: pattern)
        for sample in samples {
            let range = NSRange(sample.startIndex..., in: sample)
            let matches = regex.firstMatch(in: sample, range: range) != nil
            #expect(matches == decoder(sample), "pattern \(pattern) and the decoder disagree on '\(sample)'")
        }
    }

    private func pattern(_ definition: String, _ property: String) throws -> String {
        let properties = try #require(try Self.definitions()[definition]?["properties"] as? [String: Any])
        let node = try #require(properties[property] as? [String: Any])
        return try #require(node["pattern"] as? String, "\(definition).\(property) has no pattern")
    }

    @Test("patterns agree with the decoder's syntax checks")
    func patternsAgree() throws {
        try agree(
            pattern("instance", "type"),
            ["t3.small", "m6gd.16xlarge", "u-6tb1.metal", "c5.metal", "mac1.metal", "t3", "t3.huge", "T3.small", "small.t3", "t3.0xlarge", "db.t3.micro"],
            ResourceClassSyntax.isInstanceType
        )
        try agree(
            pattern("database", "class"),
            ["db.t3.micro", "db.r6g.2xlarge", "db.t3", "t3.micro", "db.T3.micro", "db.m5.metal", "db.t3.nano"],
            ResourceClassSyntax.isDBInstanceClass
        )
        try agree(
            pattern("service", "tag"),
            ["1.4.2", "latest", "v1_rc-2", "-bad", ".bad", "has space", String(repeating: "a", count: 129)],
            { (try? ImageReference.validateTag($0)) != nil }
        )
        try agree(
            pattern("database", "maintenanceWindow"),
            ["sun:03:00-sun:04:00", "sat:23:30-sun:00:30", "Sun:03:00-sun:04:00", "sun:24:00-mon:01:00", "sunday 03:00"],
            { WeeklyWindow(parsing: $0) != nil }
        )
        try agree(
            pattern("resources", "memory"),
            ["512m", "1g", "256Mi", "2GiB", "100b", "1 TB", "1.5g", "512"],
            { MemorySyntax.parse($0) != nil }
        )
        try agree(
            try #require(try Self.definitions()["duration"]?["pattern"] as? String),
            ["500ms", "30s", "1h30m", "2h", "30", "soon", "1d", "-5s"],
            { DurationSyntax.parse($0) != nil }
        )
        try agree(
            try #require(try Self.definitions()["resourceName"]?["pattern"] as? String),
            ["api", "community-db", "a", "Api", "-api", "api-", "a_b", String(repeating: "a", count: 64)],
            NameSyntax.isResourceName
        )
        try agree(
            pattern("securityGroup", "vpc"),
            ["vpc-0a1b2c3d", "vpc-0a1b2c3d4e5f60718", "vpc-0abc", "vpc-0A1B2C3D", "subnet-0a1b2c3d"],
            { AWSIDSyntax.isID($0, prefix: "vpc") }
        )
    }
}
