import Foundation
public import ShipshapeGit
import ShipshapeManifest
import ShipshapeReconcile
import Yams

/// The controller's own configuration: `/etc/shipshape/config.yaml`, given with `--config`.
///
/// Secrets are never in this file: it names files (or environment variables) that hold them.
/// Unknown keys are errors, so a typo cannot silently turn a setting off.
public struct ControllerConfiguration: Sendable, Hashable {
    /// Where the manifests come from.
    public struct Git: Sendable, Hashable {
        /// `file://`, `https://` or `ssh://` URL of the config repository.
        public var url: String
        /// What is followed: a branch (default `main`), a tag, or the newest tag in a semver range.
        public var ref: GitRef = .branch("main")
        /// Folder in the repository that holds the manifests.
        public var path: String = "manifests"
        public var pollInterval: Duration = .seconds(30)
        /// Credentials (token or deploy key files), CA file and pinned known_hosts.
        public var remote = GitRemoteOptions()
        /// Only apply tip commits signed by an allowed key; nil applies unsigned commits.
        public var verify: CommitVerificationPolicy?
        /// GitHub push webhooks (`POST /hooks/github`); nil disables the endpoint.
        public var webhook: Webhook?

        public init(url: String) { self.url = url }
    }

    /// The GitHub webhook receiver's settings.
    public struct Webhook: Sendable, Hashable {
        /// File holding the webhook's secret (`X-Hub-Signature-256` HMAC key).
        public var secretFile: String
        /// `owner/name` the pushes must come from; by default the repository of `git.url`.
        public var repository: String?

        public init(secretFile: String, repository: String? = nil) {
            self.secretFile = secretFile
            self.repository = repository
        }
    }

    public struct Docker: Sendable, Hashable {
        public var socket: String = "/var/run/docker.sock"
        /// A `docker login`-style `config.json` with credentials for private registries.
        public var registryCredentialsFile: String?
        /// Pull from ECR with `GetAuthorizationToken` (cached until shortly before it expires).
        public var ecr: Bool = true
        /// How many earlier images of each service stay on the host for a fast rollback.
        public var keepPreviousImages: Int = 3
        /// The local traffic switch for blue-green rollouts (an nginx upstream file and a reload).
        public var trafficSwitch: TrafficSwitch?
        /// The Prometheus server that canary analysis queries (`strategy.analysis`) run on.
        public var prometheus: Prometheus?
        /// The ELBv2 switch for blue-green services that name `strategy.targetGroupArn`.
        public var targetGroup: TargetGroupSwitch?

        public init() {}
    }

    /// Where canary analysis queries go: `GET URL/api/v1/query`.
    public struct Prometheus: Sendable, Hashable {
        /// Base URL, e.g. `http://127.0.0.1:9090`; no credentials in it.
        public var url: String
        /// How long one query may take (default 5s).
        public var timeout: Duration = .seconds(5)

        public init(url: String) { self.url = url }
    }

    /// Blue-green's ELBv2 switch: this host's green ports are registered as targets of the
    /// manifest's target group, its other targets there deregistered.
    public struct TargetGroupSwitch: Sendable, Hashable {
        /// How this host appears as a target.
        public enum Identity: Sendable, Hashable {
            /// `instanceId: i-…` (target type `instance`).
            case instanceID(String)
            /// `ipAddress: 10.0.0.5` (target type `ip`).
            case ipAddress(String)
            /// Neither given: this instance's id from the instance metadata service (IMDSv2).
            case instanceMetadata
        }

        public var identity: Identity = .instanceMetadata
        /// How long green's targets get to become healthy in the group.
        public var healthTimeout: Duration = .seconds(300)
        /// How long blue's targets get to drain after deregistration.
        public var drainTimeout: Duration = .seconds(300)

        public init(identity: Identity = .instanceMetadata) { self.identity = identity }
    }

    /// Blue-green's local switch: Shipshape writes `DIRECTORY/ENV-SERVICE.conf` (an nginx upstream)
    /// and runs `reloadCommand`.
    public struct TrafficSwitch: Sendable, Hashable {
        public var upstreamDirectory: String
        public var reloadCommand: [String]

        public init(upstreamDirectory: String, reloadCommand: [String]) {
            self.upstreamDirectory = upstreamDirectory
            self.reloadCommand = reloadCommand
        }
    }

    public struct AWS: Sendable, Hashable {
        public var region: String?
        /// An endpoint for every AWS service (moto, LocalStack); `AWS_ENDPOINT_URL` works too.
        public var endpoint: String?

        public init() {}
    }

    /// The leader lease several controllers share, so exactly one applies AWS changes.
    public struct Lease: Sendable, Hashable {
        /// DynamoDB table with a string hash key `name`.
        public var table: String
        /// The lease's name; controllers that share it elect one leader.
        public var name: String = "shipshape"
        public var duration: Duration = .seconds(30)

        public init(table: String) { self.table = table }
    }

    /// Global policy; the manifests' per-environment policy applies within it.
    public struct Policy: Sendable, Hashable {
        /// Plan and report, never change anything.
        public var dryRun: Bool = false

        public init() {}
    }

    public var git: Git
    /// Environments this instance reconciles; nil means every environment in the manifests.
    public var environments: [String]?
    public var stateDirectory: String = "/var/lib/shipshape"
    /// `host:port` of the HTTP server (metrics, health, status, webhooks).
    public var listen: String = "127.0.0.1:9090"
    public var docker = Docker()
    public var aws = AWS()
    public var policy = Policy()
    /// File holding the bearer token that state-changing admin endpoints (approve, suspend, resume,
    /// rollback, unpin, reconcile) require; without it those endpoints are disabled.
    public var adminTokenFile: String?
    /// Without a lease this controller is the only one and applies everything.
    public var lease: Lease?
    /// Alert sinks, routing, dedup and retries (docs/alerts.md).
    public var alerts = AlertsConfiguration()

    public init(git: Git) {
        self.git = git
    }

    /// Host and port of `listen`.
    public var listenAddress: (host: String, port: Int) {
        get throws {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
                (0...65535).contains(port)
            else {
                throw ConfigurationError("listen: `\(listen)` is not HOST:PORT (for example 127.0.0.1:9090)")
            }
            var host = String(listen[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            return (host, port)
        }
    }

    /// Reads and checks the configuration file at `path`.
    public static func load(path: String) throws -> ControllerConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(path): cannot read the configuration file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses configuration YAML; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> ControllerConfiguration {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError("\(file): not valid YAML: \(error)")
        }
        guard let root = node?.mapping else { throw ConfigurationError("\(file): expected a mapping at the top level") }
        var reader = ConfigReader(file: file)
        let config = try reader.configuration(root)
        return config
    }
}

/// A configuration problem: the message names the file, the key and what is expected.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads the configuration from YAML nodes, refusing unknown keys and wrong types with the line.
private struct ConfigReader {
    let file: String

    func fail(_ node: Node, _ message: String) -> ConfigurationError {
        let line = node.mark.map { ":\($0.line):\($0.column)" } ?? ""
        return ConfigurationError("\(file)\(line): \(message)")
    }

    func fields(_ mapping: Node.Mapping, at path: String, allowed: Set<String>) throws -> [String: Node] {
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { throw fail(keyNode, "\(path): keys must be strings") }
            guard allowed.contains(key) else {
                let known = allowed.sorted().joined(separator: ", ")
                throw fail(keyNode, "unknown key `\(path.isEmpty ? key : path + "." + key)` (known keys: \(known))")
            }
            guard result[key] == nil else { throw fail(keyNode, "duplicate key `\(key)`") }
            result[key] = value
        }
        return result
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard let scalar = node.scalar else { throw fail(node, "`\(path)` must be a string") }
        return scalar.string
    }

    func bool(_ node: Node, _ path: String) throws -> Bool {
        guard let value = node.bool else { throw fail(node, "`\(path)` must be true or false") }
        return value
    }

    func duration(_ node: Node, _ path: String) throws -> Duration {
        let text = try string(node, path)
        guard let duration = DurationSyntax.parse(text), duration > .zero else {
            throw fail(node, "`\(path)`: `\(text)` is not a duration (for example 30s, 5m, 1h)")
        }
        return duration
    }

    /// `docker.targetGroup: { instanceId: i-… | ipAddress: …, healthTimeout: 5m, drainTimeout: 5m }`.
    func targetGroupSwitch(_ node: Node) throws -> ControllerConfiguration.TargetGroupSwitch {
        guard let mapping = node.mapping else {
            throw fail(node, "`docker.targetGroup` must be a mapping (`{}` reads the instance id from IMDSv2)")
        }
        let values = try fields(
            mapping, at: "docker.targetGroup", allowed: ["instanceId", "ipAddress", "healthTimeout", "drainTimeout"])
        var settings = ControllerConfiguration.TargetGroupSwitch()
        switch (values["instanceId"], values["ipAddress"]) {
        case (.some, .some):
            throw fail(node, "give one of `docker.targetGroup.instanceId` or `docker.targetGroup.ipAddress`, not both")
        case (let id?, nil):
            let text = try string(id, "docker.targetGroup.instanceId")
            guard text.hasPrefix("i-"), text.count > 2, text.dropFirst(2).allSatisfy(\.isHexDigit) else {
                throw fail(id, "`docker.targetGroup.instanceId`: `\(text)` is not an EC2 instance id (i-0123456789abcdef0)")
            }
            settings.identity = .instanceID(text)
        case (nil, let address?):
            let text = try string(address, "docker.targetGroup.ipAddress")
            guard IPAddress.isIPv4(text) || IPAddress.isIPv6(text) else {
                throw fail(address, "`docker.targetGroup.ipAddress`: `\(text)` is not an IP address")
            }
            settings.identity = .ipAddress(text)
        case (nil, nil):
            settings.identity = .instanceMetadata
        }
        if let value = values["healthTimeout"] { settings.healthTimeout = try duration(value, "docker.targetGroup.healthTimeout") }
        if let value = values["drainTimeout"] { settings.drainTimeout = try duration(value, "docker.targetGroup.drainTimeout") }
        return settings
    }

    mutating func configuration(_ root: Node.Mapping) throws -> ControllerConfiguration {
        let top = try fields(
            root, at: "",
            allowed: ["git", "environments", "stateDirectory", "listen", "docker", "aws", "policy", "admin", "lease", "alerts"])
        guard let gitNode = top["git"] else {
            throw ConfigurationError("\(file): missing `git` (the config repository to watch)")
        }
        guard let gitMapping = gitNode.mapping else { throw fail(gitNode, "`git` must be a mapping") }
        let gitFields = try fields(
            gitMapping, at: "git",
            allowed: [
                "url", "branch", "tag", "semver", "path", "pollInterval", "tokenFile", "sshKeyFile", "knownHostsFile",
                "caFile", "verify", "webhook",
            ])
        guard let urlNode = gitFields["url"] else { throw fail(gitNode, "missing `git.url`") }
        var git = ControllerConfiguration.Git(url: try string(urlNode, "git.url"))
        let refKeys = ["branch", "tag", "semver"].filter { gitFields[$0] != nil }
        if refKeys.count > 1 {
            throw fail(gitNode, "give one of `git.branch`, `git.tag` or `git.semver`, not \(refKeys.joined(separator: " and "))")
        }
        if let node = gitFields["branch"] { git.ref = .branch(try string(node, "git.branch")) }
        if let node = gitFields["tag"] { git.ref = .tag(try string(node, "git.tag")) }
        if let node = gitFields["semver"] {
            do {
                git.ref = .semver(try SemanticVersionRange(try string(node, "git.semver")))
            } catch let error as ConfigurationError {
                throw error
            } catch {
                throw fail(node, "`git.semver`: \(error)")
            }
        }
        if gitFields["tokenFile"] != nil && gitFields["sshKeyFile"] != nil {
            throw fail(gitNode, "give one of `git.tokenFile` (HTTPS) or `git.sshKeyFile` (SSH), not both")
        }
        if let node = gitFields["tokenFile"] { git.remote.credentials = .token(file: try string(node, "git.tokenFile")) }
        if let node = gitFields["sshKeyFile"] {
            git.remote.credentials = .sshKey(privateKeyFile: try string(node, "git.sshKeyFile"))
        }
        if let node = gitFields["knownHostsFile"] { git.remote.knownHostsFile = try string(node, "git.knownHostsFile") }
        if let node = gitFields["caFile"] { git.remote.caFile = try string(node, "git.caFile") }
        if let node = gitFields["verify"] {
            guard let mapping = node.mapping else { throw fail(node, "`git.verify` must be a mapping") }
            let values = try fields(mapping, at: "git.verify", allowed: ["mode", "allowedSigners", "keyring"])
            if let mode = values["mode"], try string(mode, "git.verify.mode") != "head" {
                throw fail(mode, "`git.verify.mode` must be `head` (the tip commit must carry a trusted signature)")
            }
            let policy = CommitVerificationPolicy(
                allowedSignersFile: try values["allowedSigners"].map { try string($0, "git.verify.allowedSigners") },
                openPGPKeyringFile: try values["keyring"].map { try string($0, "git.verify.keyring") })
            guard policy.allowedSignersFile != nil || policy.openPGPKeyringFile != nil else {
                throw fail(node, "`git.verify` needs `allowedSigners` (SSH) or `keyring` (OpenPGP)")
            }
            git.verify = policy
        }
        if let node = gitFields["webhook"] {
            guard let mapping = node.mapping else { throw fail(node, "`git.webhook` must be a mapping") }
            let values = try fields(mapping, at: "git.webhook", allowed: ["secretFile", "repository"])
            guard let secret = values["secretFile"] else { throw fail(node, "missing `git.webhook.secretFile`") }
            git.webhook = ControllerConfiguration.Webhook(
                secretFile: try string(secret, "git.webhook.secretFile"),
                repository: try values["repository"].map { try string($0, "git.webhook.repository") })
        }
        if let node = gitFields["path"] { git.path = try string(node, "git.path") }
        if let node = gitFields["pollInterval"] { git.pollInterval = try duration(node, "git.pollInterval") }

        var config = ControllerConfiguration(git: git)
        if let node = top["environments"] {
            guard let sequence = node.sequence else { throw fail(node, "`environments` must be a list of names") }
            config.environments = try sequence.map { try string($0, "environments[]") }
        }
        if let node = top["stateDirectory"] { config.stateDirectory = try string(node, "stateDirectory") }
        if let node = top["listen"] {
            config.listen = try string(node, "listen")
            _ = try config.listenAddress
        }
        if let node = top["docker"] {
            guard let mapping = node.mapping else { throw fail(node, "`docker` must be a mapping") }
            let values = try fields(
                mapping, at: "docker",
                allowed: [
                    "socket", "registryCredentialsFile", "ecr", "keepPreviousImages", "trafficSwitch", "prometheus",
                    "targetGroup",
                ])
            if let socket = values["socket"] { config.docker.socket = try string(socket, "docker.socket") }
            if let file = values["registryCredentialsFile"] {
                config.docker.registryCredentialsFile = try string(file, "docker.registryCredentialsFile")
            }
            if let ecr = values["ecr"] { config.docker.ecr = try bool(ecr, "docker.ecr") }
            if let keep = values["keepPreviousImages"] {
                guard let count = keep.int, (0...100).contains(count) else {
                    throw fail(keep, "`docker.keepPreviousImages` must be a whole number from 0 to 100")
                }
                config.docker.keepPreviousImages = count
            }
            if let node = values["trafficSwitch"] {
                guard let switchMapping = node.mapping else { throw fail(node, "`docker.trafficSwitch` must be a mapping") }
                let switchValues = try fields(
                    switchMapping, at: "docker.trafficSwitch", allowed: ["upstreamDirectory", "reloadCommand"])
                guard let directory = switchValues["upstreamDirectory"], let reload = switchValues["reloadCommand"],
                    let command = reload.sequence
                else {
                    throw fail(node, "`docker.trafficSwitch` needs `upstreamDirectory` and `reloadCommand` (a list, e.g. [nginx, -s, reload])")
                }
                config.docker.trafficSwitch = ControllerConfiguration.TrafficSwitch(
                    upstreamDirectory: try string(directory, "docker.trafficSwitch.upstreamDirectory"),
                    reloadCommand: try command.map { try string($0, "docker.trafficSwitch.reloadCommand[]") })
            }
            if let node = values["prometheus"] {
                guard let prometheusMapping = node.mapping else { throw fail(node, "`docker.prometheus` must be a mapping") }
                let prometheusValues = try fields(prometheusMapping, at: "docker.prometheus", allowed: ["url", "timeout"])
                guard let urlNode = prometheusValues["url"] else {
                    throw fail(node, "missing `docker.prometheus.url` (for example http://127.0.0.1:9090)")
                }
                let url = try string(urlNode, "docker.prometheus.url")
                if let problem = PrometheusMetricQuery.problem(withURL: url) {
                    // The URL is not echoed: a mistaken one may hold credentials.
                    throw fail(urlNode, "`docker.prometheus.url` \(problem)")
                }
                var prometheus = ControllerConfiguration.Prometheus(url: url)
                if let timeout = prometheusValues["timeout"] {
                    prometheus.timeout = try duration(timeout, "docker.prometheus.timeout")
                }
                config.docker.prometheus = prometheus
            }
            if let node = values["targetGroup"] { config.docker.targetGroup = try targetGroupSwitch(node) }
        }
        if let node = top["aws"] {
            guard let mapping = node.mapping else { throw fail(node, "`aws` must be a mapping") }
            let values = try fields(mapping, at: "aws", allowed: ["region", "endpoint"])
            if let region = values["region"] { config.aws.region = try string(region, "aws.region") }
            if let endpoint = values["endpoint"] { config.aws.endpoint = try string(endpoint, "aws.endpoint") }
        }
        if let node = top["policy"] {
            guard let mapping = node.mapping else { throw fail(node, "`policy` must be a mapping") }
            let values = try fields(mapping, at: "policy", allowed: ["dryRun"])
            if let dryRun = values["dryRun"] { config.policy.dryRun = try bool(dryRun, "policy.dryRun") }
        }
        if let node = top["admin"] {
            guard let mapping = node.mapping else { throw fail(node, "`admin` must be a mapping") }
            let values = try fields(mapping, at: "admin", allowed: ["tokenFile"])
            if let file = values["tokenFile"] { config.adminTokenFile = try string(file, "admin.tokenFile") }
        }
        if let node = top["lease"] {
            guard let mapping = node.mapping else { throw fail(node, "`lease` must be a mapping") }
            let values = try fields(mapping, at: "lease", allowed: ["table", "name", "duration"])
            guard let table = values["table"] else { throw fail(node, "missing `lease.table` (a DynamoDB table)") }
            var lease = ControllerConfiguration.Lease(table: try string(table, "lease.table"))
            if let name = values["name"] { lease.name = try string(name, "lease.name") }
            if let duration = values["duration"] { lease.duration = try self.duration(duration, "lease.duration") }
            config.lease = lease
        }
        if let node = top["alerts"] {
            guard let mapping = node.mapping else { throw fail(node, "`alerts` must be a mapping") }
            config.alerts = try AlertsConfiguration.parse(mapping, file: file)
        }
        return config
    }
}
