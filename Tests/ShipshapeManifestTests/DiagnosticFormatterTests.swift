import Foundation
import Testing
@testable import ShipshapeManifest

@Suite("Diagnostic output formats")
struct DiagnosticFormatterTests {
    let source = ManifestSource(
        path: "prod.yaml",
        text: """
            apiVersion: shipshape.io/v1
            kind: Environment
            metadata: { name: prod }
            spec:
              services:
                api: { runtime: docker, image: nginx, tag: latest, ports: ["127.0.0.1:70000:80"] }
            """
    )

    var bundle: ManifestBundle { ManifestLoader.load([source]) }

    @Test("text shows the offending line with a caret under the column, the hint and a summary")
    func text() {
        let output = DiagnosticFormatter.text(bundle.diagnostics, sources: [source])
        #expect(
            output == """
                prod.yaml:6:48: warning: services.api uses the 'latest' tag, so the image floats
                   6 |     api: { runtime: docker, image: nginx, tag: latest, ports: ["127.0.0.1:70000:80"] }
                     |                                                ^
                     = hint: pin a version: tag: "1.4.2" or digest: sha256:…
                prod.yaml:6:64: error: invalid port '127.0.0.1:70000:80' in services.api.ports[0]: host port '70000' must be a number from 1 to 65535
                   6 |     api: { runtime: docker, image: nginx, tag: latest, ports: ["127.0.0.1:70000:80"] }
                     |                                                                ^
                1 error, 1 warning

                """
        )
    }

    @Test("JSON is an array of objects that JSONSerialization reads back")
    func json() throws {
        let output = DiagnosticFormatter.json(bundle.diagnostics)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(parsed.count == 2)
        #expect(parsed[1]["severity"] as? String == "error")
        #expect(parsed[1]["file"] as? String == "prod.yaml")
        #expect(parsed[1]["line"] as? Int == 6)
        #expect(parsed[1]["column"] as? Int == 64)
        #expect(parsed[0]["hint"] as? String == "pin a version: tag: \"1.4.2\" or digest: sha256:…")
        #expect(parsed[1]["hint"] == nil)
        #expect(DiagnosticFormatter.json([]) == "[]\n")
        // Escaping: quotes, backslashes and control characters stay valid JSON.
        let odd = Diagnostic(severity: .error, file: "a\"b.yaml", line: 1, column: 1, message: "tab\there\u{1}\\", hint: nil)
        let oddParsed = try #require(
            try JSONSerialization.jsonObject(with: Data(DiagnosticFormatter.json([odd]).utf8)) as? [[String: Any]]
        )
        #expect(oddParsed[0]["message"] as? String == "tab\there\u{1}\\")
        #expect(oddParsed[0]["file"] as? String == "a\"b.yaml")
    }

    @Test("GitHub annotations carry file, line and column, escaped")
    func github() {
        let output = DiagnosticFormatter.githubAnnotations(bundle.diagnostics, pathPrefix: "manifests/")
        #expect(
            output == """
                ::warning file=manifests/prod.yaml,line=6,col=48,title=shipshape::services.api uses the 'latest' tag, so the image floats (hint: pin a version: tag: "1.4.2" or digest: sha256:…)
                ::error file=manifests/prod.yaml,line=6,col=64,title=shipshape::invalid port '127.0.0.1:70000:80' in services.api.ports[0]: host port '70000' must be a number from 1 to 65535

                """
        )
        let tricky = Diagnostic(severity: .error, file: "a,b:c.yaml", line: 2, column: 3, message: "100%\r\nsure", hint: nil)
        #expect(
            DiagnosticFormatter.githubAnnotations([tricky]) == "::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=shipshape::100%25%0D%0Asure\n"
        )
    }
}
