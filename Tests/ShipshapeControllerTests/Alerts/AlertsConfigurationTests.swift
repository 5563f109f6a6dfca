import Foundation
import Logging
import ShipshapeController
import ShipshapeTesting
import Testing

/// The `alerts:` section: parsing, strictness, and that secrets stay in their files.
@Suite("Alerts configuration")
struct AlertsConfigurationTests {
    static let example = """
        git: { url: file:///srv/config.git }
        alerts:
          dedupWindow: 15m
          queueCapacity: 50
          requestTimeout: 5s
          commitURL: https://github.com/example-org/config/commit/{revision}
          retry: { attempts: 3, initialBackoff: 2s, maxBackoff: 1m, jitter: 0 }
          sinks:
            team-slack:
              type: slack
              urlFile: /etc/shipshape/secrets/slack-webhook-url
              minSeverity: warning
            ops:
              type: webhook
              url: https://hooks.example.org/shipshape
              secretFile: /etc/shipshape/secrets/webhook-secret
              events: [reconcileFailed, rolledBack]
            alertmanager:
              type: alertmanager
              url: http://127.0.0.1:9093
              ttl: 2h
            github:
              type: githubStatus
              repository: example-org/config
              tokenFile: /etc/shipshape/secrets/github-token
          routes:
            prod: [team-slack, ops, alertmanager, github]
            "*": [alertmanager]

        """

    @Test("the documented example parses")
    func parsesExample() throws {
        let config = try AlertsConfiguration.parse(yaml: Self.example, file: "config.yaml")
        #expect(config.dedupWindow == .seconds(900))
        #expect(config.queueCapacity == 50)
        #expect(config.requestTimeout == .seconds(5))
        #expect(config.retry.attempts == 3)
        #expect(config.retry.backoff(afterAttempt: 1) == .seconds(2))
        #expect(config.retry.backoff(afterAttempt: 3) == .seconds(8))
        #expect(config.retry.backoff(afterAttempt: 9) == .seconds(60))
        #expect(config.sinks.map(\.name) == ["team-slack", "ops", "alertmanager", "github"])
        #expect(config.sinks[0].destination == .slack(urlFile: "/etc/shipshape/secrets/slack-webhook-url"))
        #expect("\(config.sinks[0].minSeverity)" == "warning")
        #expect(config.sinks[1].events == [.reconcileFailed, .rolledBack])
        #expect(config.sinks[2].destination == .alertmanager(url: "http://127.0.0.1:9093", ttl: .seconds(7200)))
        #expect(
            config.sinks[3].destination
                == .githubStatus(
                    apiURL: "https://api.github.com", repository: "example-org/config",
                    tokenFile: "/etc/shipshape/secrets/github-token", targetURL: nil))
        #expect(config.sinkNames(for: "prod") == ["team-slack", "ops", "alertmanager", "github"])
        #expect(config.sinkNames(for: "staging") == ["alertmanager"])
        #expect(config.commitLink("abc") == "https://github.com/example-org/config/commit/abc")
        #expect(try AlertsConfiguration.parse(yaml: "git: {}\n", file: "c.yaml").sinks.isEmpty)
    }

    @Test(
        "mistakes are errors with file, line and what to do",
        arguments: [
            ("alerts:\n  dedupwindow: 5m\n", "c.yaml:2:3: unknown key `alerts.dedupwindow`"),
            ("alerts:\n  sinks:\n    s: { type: slack, urlFile: /x, url: http://a }\n", "c.yaml:3:36: unknown key `alerts.sinks.s.url` (known keys: events, minSeverity, type, urlFile)"),
            ("alerts:\n  sinks:\n    s: { type: pagerduty }\n", "`pagerduty` is not a sink type"),
            ("alerts:\n  sinks:\n    s: { type: webhook }\n", "`alerts.sinks.s.url` is missing"),
            ("alerts:\n  sinks:\n    s: { type: webhook, url: ftp://x }\n", "must be an http:// or https:// URL"),
            ("alerts:\n  sinks:\n    s: { type: githubStatus, repository: nope, tokenFile: /t }\n", "must be OWNER/NAME"),
            ("alerts:\n  sinks:\n    s: { type: alertmanager, url: http://a, events: [deployed] }\n", "`deployed` is not an event kind"),
            ("alerts:\n  sinks:\n    s: { type: alertmanager, url: http://a }\n  routes:\n    prod: [t]\n", "c.yaml:5:12: `alerts.routes.prod`: no sink named `t`"),
            ("alerts:\n  dedupWindow: soon\n", "`alerts.dedupWindow`: `soon` is not a duration"),
            ("alerts:\n  commitURL: https://example.org/commit\n", "must contain {revision}"),
            ("alerts:\n  retry: { attempts: 0 }\n", "`alerts.retry.attempts` must be a whole number from 1 to 20"),
        ])
    func rejects(_ yaml: String, _ expected: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try AlertsConfiguration.parse(yaml: yaml, file: "c.yaml") }
        #expect(error?.description.contains(expected) == true, "got: \(error?.description ?? "no error")")
    }

    @Test("secret files are read when the dispatcher is built; errors and logs name the file, never the secret")
    func secretFiles() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-alert-secrets")
        defer { directory.remove() }
        let canary = "CANARY-\(UInt64.random(in: 0...UInt64.max))"
        let secretFile = try directory.write("\(canary)\n", to: "webhook-secret", mode: 0o600)
        let server = try await RecordingHTTPServer.start { request in
            .init(status: 400, body: "rejected \(request.header(WebhookSink.signatureHeader) ?? "") \(request.text)")
        }
        defer { Task { await server.stop() } }
        let yaml = """
            alerts:
              retry: { attempts: 2, initialBackoff: 1s, jitter: 0 }
              sinks:
                ops: { type: webhook, url: "\(server.baseURL)/hook", secretFile: \(secretFile) }
                team: { type: slack, urlFile: \(secretFile) }
            """
        let config = try AlertsConfiguration.parse(yaml: yaml, file: "c.yaml")
        #expect(!"\(config)".contains(canary))
        let (logger, logs) = RecordingLogHandler.logger()
        let metrics = ShipshapeMetrics(environments: ["prod"])
        let dispatcher = try AlertDispatcher(configuration: config, metrics: metrics, clock: TestClock(), logger: logger)
        let task = Task { try await dispatcher.run() }
        dispatcher.send(AlertEvent(.reconcileFailed, environment: "prod", revision: "r1", summary: "failed"))
        dispatcher.finish()
        try await task.value
        #expect(server.requests.count == 2)
        #expect(logs.text.contains("HTTP 400"))
        #expect(!logs.text.contains(canary), "a secret reached the log")
        #expect(!String(decoding: metrics.render(), as: UTF8.self).contains(canary))

        let missing = directory.appending("absent")
        var broken = config
        broken.sinks[0].destination = .webhook(url: server.baseURL, secretFile: missing)
        let error = #expect(throws: ConfigurationError.self) {
            try AlertDispatcher(configuration: broken, metrics: nil, clock: TestClock(), logger: logger)
        }
        #expect(error?.description.contains("alerts.sinks.ops: cannot read the secret file \(missing)") == true)
    }
}
