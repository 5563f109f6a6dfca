import Foundation
public import ShipshapeManifest
public import Yams

/// The `alerts:` section of the controller's configuration: the sinks, which environments use which
/// sinks, and how repeats and failures are handled. See docs/alerts.md.
///
/// Secrets (the Slack webhook URL, the webhook HMAC secret, tokens) are never in the file: it names
/// files that hold them, read when the dispatcher is built. Unknown keys are errors.
public struct AlertsConfiguration: Sendable, Hashable {
    /// Where alerts go.
    public enum Destination: Sendable, Hashable {
        /// A Slack incoming webhook; its URL is a secret, so it is read from `urlFile`.
        case slack(urlFile: String)
        /// A generic webhook: JSON body, signed with HMAC-SHA256 of the secret in `secretFile`.
        case webhook(url: String, secretFile: String?)
        /// An Alertmanager (v2 API base URL, `http://127.0.0.1:9093`); alerts stay active for `ttl`
        /// unless repeated or resolved.
        case alertmanager(url: String, ttl: Duration)
        /// GitHub commit statuses on the applied commit of `repository` (`owner/name`).
        case githubStatus(apiURL: String, repository: String, tokenFile: String, targetURL: String?)

        /// The `type:` value in the configuration file.
        public var typeName: String {
            switch self {
            case .slack: "slack"
            case .webhook: "webhook"
            case .alertmanager: "alertmanager"
            case .githubStatus: "githubStatus"
            }
        }
    }

    /// One named sink.
    public struct Sink: Sendable, Hashable {
        public var name: String
        public var destination: Destination
        /// Event kinds sent to this sink; nil means the sink type's default set.
        public var events: Set<AlertEvent.Kind>?
        /// Only events at least this severe (resolved notices carry their problem's severity).
        public var minSeverity: AlertSeverity

        public init(
            name: String, destination: Destination, events: Set<AlertEvent.Kind>? = nil, minSeverity: AlertSeverity = .info
        ) {
            self.name = name
            self.destination = destination
            self.events = events
            self.minSeverity = minSeverity
        }
    }

    /// Retries of a failed delivery: `attempts` tries in all, waiting `initialBackoff × 2^(n−1)`
    /// (capped at `maxBackoff`, ±`jitter` of it) after the n-th failure; then the alert is dropped.
    public struct Retry: Sendable, Hashable {
        public var attempts: Int = 5
        public var initialBackoff: Duration = .seconds(1)
        public var maxBackoff: Duration = .seconds(60)
        /// Fraction of each delay added or taken away at random (0 ... 0.5).
        public var jitter: Double = 0.1

        public init() {}

        /// The wait after the `attempt`-th failed try (1-based), before jitter.
        public func backoff(afterAttempt attempt: Int) -> Duration {
            let factor = 1 << min(max(attempt - 1, 0), 30)
            let delay = initialBackoff * factor
            return delay > maxBackoff ? maxBackoff : delay
        }
    }

    public var sinks: [Sink] = []
    /// Environment name (or `*` for every other environment) → sink names. Empty: every sink gets
    /// every environment's events.
    public var routes: [String: [String]] = [:]
    /// Repeats of an event (same kind, environment, revision, resource and status) inside this
    /// window are suppressed and counted.
    public var dedupWindow: Duration = .seconds(600)
    /// Events waiting per sink; beyond it new events are dropped and counted.
    public var queueCapacity: Int = 256
    /// Timeout of one HTTP request to a sink.
    public var requestTimeout: Duration = .seconds(10)
    public var retry = Retry()
    /// Link to a commit for people, with `{revision}` standing for the commit id
    /// (`https://github.com/org/config/commit/{revision}`).
    public var commitURL: String?

    public init() {}

    /// The sinks events of `environment` go to, by name.
    public func sinkNames(for environment: String) -> [String] {
        if routes.isEmpty { return sinks.map(\.name) }
        if environment == "*" {
            var names: [String] = []
            for sink in sinks where routes.values.contains(where: { $0.contains(sink.name) }) { names.append(sink.name) }
            return names
        }
        return routes[environment] ?? routes["*"] ?? []
    }

    /// The commit link for `revision`, if `commitURL` is set.
    public func commitLink(_ revision: String) -> String? {
        guard let commitURL, !revision.isEmpty else { return nil }
        return commitURL.replacingOccurrences(of: "{revision}", with: revision)
    }

    /// Parses the `alerts:` mapping; `file` names the configuration file in errors.
    public static func parse(_ mapping: Node.Mapping, file: String) throws -> AlertsConfiguration {
        try AlertsReader(file: file).alerts(mapping)
    }

    /// Parses the `alerts:` section of a whole configuration file's text (other top-level keys are
    /// left to `ControllerConfiguration`); no `alerts:` key gives the defaults, with no sinks.
    public static func parse(yaml text: String, file: String) throws -> AlertsConfiguration {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError("\(file): not valid YAML: \(error)")
        }
        guard let root = node?.mapping else { throw ConfigurationError("\(file): expected a mapping at the top level") }
        guard let alerts = root["alerts"] else { return AlertsConfiguration() }
        guard let mapping = alerts.mapping else {
            let line = alerts.mark.map { ":\($0.line):\($0.column)" } ?? ""
            throw ConfigurationError("\(file)\(line): `alerts` must be a mapping")
        }
        return try parse(mapping, file: file)
    }
}

/// Reads `alerts:` with the strictness of the rest of the configuration: unknown keys, wrong types
/// and references to undefined sinks are errors naming the file, line and key.
private struct AlertsReader {
    let file: String

    func fail(_ node: Node, _ message: String) -> ConfigurationError {
        let line = node.mark.map { ":\($0.line):\($0.column)" } ?? ""
        return ConfigurationError("\(file)\(line): \(message)")
    }

    func fields(_ node: Node, at path: String, allowed: Set<String>) throws -> [String: Node] {
        guard let mapping = node.mapping else { throw fail(node, "`\(path)` must be a mapping") }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw fail(keyNode, "\(path): keys must be strings") }
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw fail(keyNode, "unknown key `\(path).\(key)` (known keys: \(known))")
            }
            guard result[key] == nil else { throw fail(keyNode, "duplicate key `\(path).\(key)`") }
            result[key] = value
        }
        return result
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard let scalar = node.scalar, !scalar.string.isEmpty else { throw fail(node, "`\(path)` must be a non-empty string") }
        return scalar.string
    }

    func url(_ node: Node, _ path: String) throws -> String {
        let text = try string(node, path)
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), !text.contains(" ") else {
            throw fail(node, "`\(path)` must be an http:// or https:// URL")
        }
        return text
    }

    func duration(_ node: Node, _ path: String) throws -> Duration {
        let text = try string(node, path)
        guard let duration = DurationSyntax.parse(text), duration > .zero else {
            throw fail(node, "`\(path)`: `\(text)` is not a duration (for example 30s, 5m, 1h)")
        }
        return duration
    }

    func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = node.int, range.contains(value) else {
            throw fail(node, "`\(path)` must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func alerts(_ root: Node.Mapping) throws -> AlertsConfiguration {
        let top = try fields(
            Node.mapping(root), at: "alerts",
            allowed: ["sinks", "routes", "dedupWindow", "queueCapacity", "requestTimeout", "retry", "commitURL"])
        var config = AlertsConfiguration()
        if let node = top["dedupWindow"] { config.dedupWindow = try duration(node, "alerts.dedupWindow") }
        if let node = top["queueCapacity"] { config.queueCapacity = try integer(node, "alerts.queueCapacity", in: 1...100_000) }
        if let node = top["requestTimeout"] { config.requestTimeout = try duration(node, "alerts.requestTimeout") }
        if let node = top["commitURL"] {
            let text = try url(node, "alerts.commitURL")
            guard text.contains("{revision}") else {
                throw fail(node, "`alerts.commitURL` must contain {revision} (where the commit id goes)")
            }
            config.commitURL = text
        }
        if let node = top["retry"] {
            let values = try fields(node, at: "alerts.retry", allowed: ["attempts", "initialBackoff", "maxBackoff", "jitter"])
            if let n = values["attempts"] { config.retry.attempts = try integer(n, "alerts.retry.attempts", in: 1...20) }
            if let n = values["initialBackoff"] { config.retry.initialBackoff = try duration(n, "alerts.retry.initialBackoff") }
            if let n = values["maxBackoff"] { config.retry.maxBackoff = try duration(n, "alerts.retry.maxBackoff") }
            if let n = values["jitter"] {
                guard let value = n.float, (0...0.5).contains(value) else {
                    throw fail(n, "`alerts.retry.jitter` must be a number from 0 to 0.5")
                }
                config.retry.jitter = value
            }
        }
        if let node = top["sinks"] {
            guard let mapping = node.mapping else { throw fail(node, "`alerts.sinks` must be a mapping of sink name to sink") }
            for (keyNode, value) in mapping {
                guard let name = keyNode.string, Self.isName(name) else {
                    throw fail(keyNode, "alerts.sinks: sink names are letters, digits, `-` and `_` (at most 63)")
                }
                config.sinks.append(try sink(name, value))
            }
        }
        if let node = top["routes"] {
            guard let mapping = node.mapping else {
                throw fail(node, "`alerts.routes` must map environment names (or `*`) to lists of sink names")
            }
            let known = Set(config.sinks.map(\.name))
            for (keyNode, value) in mapping {
                guard let environment = keyNode.string else { throw fail(keyNode, "alerts.routes: keys must be strings") }
                let path = "alerts.routes.\(environment)"
                guard config.routes[environment] == nil else { throw fail(keyNode, "duplicate key `\(path)`") }
                guard let sequence = value.sequence else { throw fail(value, "`\(path)` must be a list of sink names") }
                var names: [String] = []
                for item in sequence {
                    let name = try string(item, "\(path)[]")
                    guard known.contains(name) else {
                        throw fail(item, "`\(path)`: no sink named `\(name)` in alerts.sinks (known: \(known.sorted().joined(separator: ", ")))")
                    }
                    names.append(name)
                }
                config.routes[environment] = names
            }
        }
        return config
    }

    static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 63
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            }
    }

    func sink(_ name: String, _ node: Node) throws -> AlertsConfiguration.Sink {
        let path = "alerts.sinks.\(name)"
        let common: Set<String> = ["type", "events", "minSeverity"]
        guard let typeNode = try fields(node, at: path, allowed: common.union(Self.allKeys))["type"] else {
            throw fail(node, "`\(path).type` is missing (slack, webhook, alertmanager or githubStatus)")
        }
        let type = try string(typeNode, "\(path).type")
        let keys: Set<String>
        switch type {
        case "slack": keys = ["urlFile"]
        case "webhook": keys = ["url", "secretFile"]
        case "alertmanager": keys = ["url", "ttl"]
        case "githubStatus": keys = ["apiURL", "repository", "tokenFile", "targetURL"]
        default: throw fail(typeNode, "`\(path).type`: `\(type)` is not a sink type (slack, webhook, alertmanager, githubStatus)")
        }
        let values = try fields(node, at: path, allowed: common.union(keys))
        func required(_ key: String) throws -> Node {
            guard let value = values[key] else { throw fail(node, "`\(path).\(key)` is missing (needed by a \(type) sink)") }
            return value
        }
        let destination: AlertsConfiguration.Destination
        switch type {
        case "slack":
            destination = .slack(urlFile: try string(try required("urlFile"), "\(path).urlFile"))
        case "webhook":
            destination = .webhook(
                url: try url(try required("url"), "\(path).url"),
                secretFile: try values["secretFile"].map { try string($0, "\(path).secretFile") })
        case "alertmanager":
            destination = .alertmanager(
                url: try url(try required("url"), "\(path).url"),
                ttl: try values["ttl"].map { try duration($0, "\(path).ttl") } ?? .seconds(3600))
        default:
            let repositoryNode = try required("repository")
            let repository = try string(repositoryNode, "\(path).repository")
            let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                throw fail(repositoryNode, "`\(path).repository` must be OWNER/NAME (for example example-org/community-config)")
            }
            destination = .githubStatus(
                apiURL: try values["apiURL"].map { try url($0, "\(path).apiURL") } ?? "https://api.github.com",
                repository: repository,
                tokenFile: try string(try required("tokenFile"), "\(path).tokenFile"),
                targetURL: try values["targetURL"].map { try url($0, "\(path).targetURL") })
        }
        var sink = AlertsConfiguration.Sink(name: name, destination: destination)
        if let node = values["events"] {
            guard let sequence = node.sequence else { throw fail(node, "`\(path).events` must be a list of event kinds") }
            var events: Set<AlertEvent.Kind> = []
            for item in sequence {
                let text = try string(item, "\(path).events[]")
                guard let kind = AlertEvent.Kind(rawValue: text) else {
                    let known = AlertEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw fail(item, "`\(path).events`: `\(text)` is not an event kind (\(known))")
                }
                events.insert(kind)
            }
            sink.events = events
        }
        if let node = values["minSeverity"] {
            let text = try string(node, "\(path).minSeverity")
            guard let severity = AlertSeverity(rawValue: text) else {
                throw fail(node, "`\(path).minSeverity` must be info, warning or critical")
            }
            sink.minSeverity = severity
        }
        return sink
    }

    static let allKeys: Set<String> = ["urlFile", "url", "secretFile", "ttl", "apiURL", "repository", "tokenFile", "targetURL"]
}
