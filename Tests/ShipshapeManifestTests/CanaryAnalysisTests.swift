import Testing

@testable import ShipshapeManifest

/// `strategy.analysis`: decoding, the query template and canonical rendering. The diagnostics of
/// invalid analyses are the `canary-analysis` fixture.
@Suite("Canary analysis in manifests")
struct CanaryAnalysisTests {
    static let manifest = """
        apiVersion: shipshape.io/v1
        kind: Environment
        metadata: { name: staging }
        spec:
          services:
            api:
              runtime: docker
              image: 127.0.0.1:5000/community-api
              tag: "1.0.1"
              strategy:
                type: canary
                observe: 2m
                analysis:
                  query: 'sum(rate(http_errors_total{service="{{service}}",env="{{environment}}"}[1m])) or vector(0)'
                  max: 0.05
                  min: 1e-9
            worker:
              runtime: docker
              image: 127.0.0.1:5000/community-worker
              tag: "2"
              strategy: { type: canary, analysis: { query: 'up{instance="{{container}}",replica="{{replica}}"}', min: 1 } }

        """

    @Test("an analysis decodes with its bounds and the default interval")
    func decodes() throws {
        let bundle = ManifestLoader.load([ManifestSource(path: "staging.yaml", text: Self.manifest)])
        #expect(bundle.diagnostics.map(\.description) == [])
        let services = try #require(bundle.environments["staging"]).spec.services
        let api = try #require(services["api"]?.strategy.analysis)
        #expect(
            api.query == #"sum(rate(http_errors_total{service="{{service}}",env="{{environment}}"}[1m])) or vector(0)"#)
        #expect(api.max == 0.05)
        #expect(api.min == 1e-9)
        #expect(api.interval == .seconds(15))
        let worker = try #require(services["worker"]?.strategy.analysis)
        #expect(worker.max == nil && worker.min == 1)
    }

    @Test("rendering and decoding again gives the same analysis")
    func roundTrip() throws {
        let environment = try #require(
            ManifestLoader.load([ManifestSource(path: "staging.yaml", text: Self.manifest)]).environments["staging"])
        let rendered = ManifestRenderer.render(environment)
        #expect(rendered.contains("analysis:"), "\(rendered)")
        let again = ManifestLoader.load([ManifestSource(path: "staging.yaml", text: rendered)])
        #expect(again.diagnostics.map(\.description) == [])
        #expect(again.environments["staging"] == environment)
        #expect(again.environments["staging"].map(ManifestRenderer.render) == rendered)
    }

    @Test("placeholders are replaced by their values; an unclosed one stays as written")
    func expansion() {
        let analysis = CanaryAnalysis(
            query: #"x{s="{{service}}",e="{{environment}}",c="{{container}}",r="{{replica}}"} + {{service}}"#, max: 1)
        #expect(
            analysis.expandedQuery([.service: "api", .environment: "prod", .container: "prod-api-0-abc", .replica: "0"])
                == #"x{s="api",e="prod",c="prod-api-0-abc",r="0"} + api"#)
        #expect(CanaryAnalysis(query: "a{{service", max: 1).expandedQuery([.service: "api"]) == "a{{service")
        #expect(CanaryAnalysis(query: "{{pod}}-{{service}}", max: 1).expandedQuery([.service: "api"]) == "{{pod}}-api")
    }

    @Test("template problems: unknown names and an unclosed placeholder")
    func templateProblems() {
        #expect(CanaryAnalysis.problems(inTemplate: #"sum(x{a="{{service}}"})"#) == [])
        #expect(
            CanaryAnalysis.problems(inTemplate: "{{pod}} {{ service }}") == [
                .unknownPlaceholder("pod"), .unknownPlaceholder(" service "),
            ])
        #expect(CanaryAnalysis.problems(inTemplate: "{{service}} {{replica") == [.unclosed])
    }

    @Test("bounds: above max or below min fails, NaN always fails, the bounds themselves pass")
    func bounds() {
        let both = CanaryAnalysis(query: "q", max: 0.05, min: 0.01)
        #expect(both.violation(of: 0.05) == nil)
        #expect(both.violation(of: 0.01) == nil)
        #expect(both.violation(of: 0.5) == "is 0.5, above max 0.05")
        #expect(both.violation(of: 0.001) == "is 0.001, below min 0.01")
        #expect(both.violation(of: .nan) == "is NaN")
        #expect(CanaryAnalysis(query: "q", max: 1).violation(of: -.infinity) == nil)
        #expect(CanaryAnalysis(query: "q", min: 1).violation(of: .infinity) == nil)
    }
}
