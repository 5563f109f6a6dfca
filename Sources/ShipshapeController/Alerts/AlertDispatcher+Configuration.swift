public import Logging

extension AlertDispatcher {
    /// Builds the sinks of `configuration` (reading their secret files) and a dispatcher over them.
    /// Throws when a secret file cannot be read; the error names the sink and the file, never a secret.
    public convenience init(
        configuration: AlertsConfiguration,
        http: AlertHTTPClient? = nil,
        metrics: ShipshapeMetrics?,
        clock: C,
        logger: Logger
    ) throws {
        let http = http ?? AlertHTTPClient(timeout: configuration.requestTimeout)
        let commitLink: @Sendable (String) -> String? = { configuration.commitLink($0) }
        var targets: [Target] = []
        for sink in configuration.sinks {
            let purpose = "alerts.sinks.\(sink.name)"
            let made: any AlertSink
            switch sink.destination {
            case .slack(let urlFile):
                made = SlackSink(
                    name: sink.name, webhookURL: try SecretValue.read(file: urlFile, purpose: purpose), http: http,
                    commitLink: commitLink)
            case .webhook(let url, let secretFile):
                made = WebhookSink(
                    name: sink.name, url: url, secret: try secretFile.map { try SecretValue.read(file: $0, purpose: purpose) },
                    http: http, commitLink: commitLink)
            case .alertmanager(let url, let ttl):
                made = AlertmanagerSink(name: sink.name, baseURL: url, ttl: ttl, http: http, commitLink: commitLink)
            case .githubStatus(let apiURL, let repository, let tokenFile, let targetURL):
                made = GitHubStatusSink(
                    name: sink.name, apiURL: apiURL, repository: repository,
                    token: try SecretValue.read(file: tokenFile, purpose: purpose), targetURL: targetURL, http: http)
            }
            targets.append(Target(made, events: sink.events, minSeverity: sink.minSeverity))
        }
        self.init(
            targets: targets,
            routing: { configuration.sinkNames(for: $0) },
            dedupWindow: configuration.dedupWindow,
            queueCapacity: configuration.queueCapacity,
            retry: configuration.retry,
            metrics: metrics,
            clock: clock,
            logger: logger)
    }
}
