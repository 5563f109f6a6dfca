/// The desired configuration of one container: what `createContainer` sends, and what
/// `ContainerDetails.differences(from:image:)` compares the live container with.
///
/// Optional fields left nil mean "the image's or the daemon's default"; they are not compared.
public struct ContainerSpec: Sendable, Hashable, Codable {
    /// The image reference, e.g. `"127.0.0.1:5000/community-api:1.0.0"`.
    public var image: String
    /// Replaces the image's entrypoint; nil keeps it.
    public var entrypoint: [String]?
    /// Replaces the image's command (`CMD`, the arguments of the entrypoint); nil keeps it.
    public var cmd: [String]?
    /// Environment variables as `KEY=VALUE`, added to (and overriding) the image's.
    public var env: [String]
    /// Labels, added to (and overriding) the image's.
    public var labels: [String: String]
    /// Ports the container exposes without publishing them (published ports are exposed anyway).
    public var exposedPorts: Set<ContainerPort>
    /// Ports published on the host.
    public var publishedPorts: [PublishedPort]
    /// Host paths or named volumes mounted into the container.
    public var volumes: [VolumeBind]
    /// What to do when the main process exits; nil is the daemon's default (`no`).
    public var restartPolicy: RestartPolicy?
    /// Memory limit in bytes; nil is no limit.
    public var memoryBytes: Int?
    /// CPU limit in billionths of a CPU (1.5 CPUs = 1_500_000_000); nil is no limit.
    public var nanoCPUs: Int?
    /// Log driver and its options; nil is the daemon's default driver.
    public var logging: LogConfig?
    /// `bridge`, `host`, `none`, `container:<id>` or a network name; nil is the daemon's default.
    public var networkMode: String?
    /// Replaces the image's health check; nil keeps it.
    public var healthcheck: Healthcheck?
    /// User (and group) the process runs as, e.g. `"1000:1000"`; nil keeps the image's.
    public var user: String?
    /// Working directory of the process; nil keeps the image's.
    public var workingDir: String?

    public init(
        image: String,
        entrypoint: [String]? = nil,
        cmd: [String]? = nil,
        env: [String] = [],
        labels: [String: String] = [:],
        exposedPorts: Set<ContainerPort> = [],
        publishedPorts: [PublishedPort] = [],
        volumes: [VolumeBind] = [],
        restartPolicy: RestartPolicy? = nil,
        memoryBytes: Int? = nil,
        nanoCPUs: Int? = nil,
        logging: LogConfig? = nil,
        networkMode: String? = nil,
        healthcheck: Healthcheck? = nil,
        user: String? = nil,
        workingDir: String? = nil
    ) {
        self.image = image
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.labels = labels
        self.exposedPorts = exposedPorts
        self.publishedPorts = publishedPorts
        self.volumes = volumes
        self.restartPolicy = restartPolicy
        self.memoryBytes = memoryBytes
        self.nanoCPUs = nanoCPUs
        self.logging = logging
        self.networkMode = networkMode
        self.healthcheck = healthcheck
        self.user = user
        self.workingDir = workingDir
    }

    /// `KEY=VALUE` strings from a dictionary, sorted by key (a stable order for `env`).
    public static func environment(_ variables: [String: String]) -> [String] {
        variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}

/// A host path or named volume mounted into a container (Docker's `Binds` entry `source:target[:ro]`).
public struct VolumeBind: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An absolute host path, or the name of a volume (created by the daemon when missing).
    public var source: String
    /// The absolute path inside the container.
    public var target: String
    /// Mount read-only.
    public var readOnly: Bool

    public init(source: String, target: String, readOnly: Bool = false) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }

    /// Parses Docker's `source:target[:options]`; nil when malformed. Options other than `ro`/`rw` are dropped.
    public init?(dockerBind: String) {
        let parts = dockerBind.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        let options = parts.count == 3 ? parts[2].split(separator: ",").map(String.init) : []
        self.init(source: parts[0], target: parts[1], readOnly: options.contains("ro"))
    }

    /// Docker's `source:target[:ro]`.
    public var description: String { readOnly ? "\(source):\(target):ro" : "\(source):\(target)" }
}

/// A container's log driver (`json-file`, `local`, `journald`, `awslogs`, …) and its options.
public struct LogConfig: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The driver name, e.g. `json-file`.
    public var driver: String
    /// Driver options, e.g. `["max-size": "10m"]`.
    public var options: [String: String]

    public init(driver: String, options: [String: String] = [:]) {
        self.driver = driver
        self.options = options
    }

    public var description: String {
        options.isEmpty
            ? driver
            : "\(driver) \(options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"
    }
}

/// A container health check, run by the daemon inside the container.
public struct Healthcheck: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Docker's test: `["CMD", prog, args…]`, `["CMD-SHELL", "command"]`, or `["NONE"]` to disable
    /// the image's check.
    public var test: [String]
    /// Time between checks; nil is Docker's default (30 s).
    public var interval: Duration?
    /// Time one check may take; nil is Docker's default (30 s).
    public var timeout: Duration?
    /// Consecutive failures before `unhealthy`; nil is Docker's default (3).
    public var retries: Int?
    /// Grace period after start during which failures do not count; nil is 0.
    public var startPeriod: Duration?

    public init(
        test: [String], interval: Duration? = nil, timeout: Duration? = nil, retries: Int? = nil,
        startPeriod: Duration? = nil
    ) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.startPeriod = startPeriod
    }

    /// A check that runs `command` with `/bin/sh -c` (Docker's `CMD-SHELL`).
    public static func shell(
        _ command: String, interval: Duration? = nil, timeout: Duration? = nil, retries: Int? = nil,
        startPeriod: Duration? = nil
    ) -> Healthcheck {
        Healthcheck(
            test: ["CMD-SHELL", command], interval: interval, timeout: timeout, retries: retries,
            startPeriod: startPeriod)
    }

    public var description: String {
        var parts = [test.joined(separator: " ")]
        if let interval { parts.append("interval=\(interval)") }
        if let timeout { parts.append("timeout=\(timeout)") }
        if let retries { parts.append("retries=\(retries)") }
        if let startPeriod { parts.append("start-period=\(startPeriod)") }
        return parts.joined(separator: " ")
    }
}

extension ContainerSpec {
    /// Encodes like the synthesized conformance, but with `exposedPorts` sorted, so that the same
    /// spec always encodes to the same bytes (with `JSONEncoder.OutputFormatting.sortedKeys`) and
    /// a hash of the encoding can be stored, e.g. in a label.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(image, forKey: .image)
        try container.encodeIfPresent(entrypoint, forKey: .entrypoint)
        try container.encodeIfPresent(cmd, forKey: .cmd)
        try container.encode(env, forKey: .env)
        try container.encode(labels, forKey: .labels)
        try container.encode(exposedPorts.sorted(), forKey: .exposedPorts)
        try container.encode(publishedPorts, forKey: .publishedPorts)
        try container.encode(volumes, forKey: .volumes)
        try container.encodeIfPresent(restartPolicy, forKey: .restartPolicy)
        try container.encodeIfPresent(memoryBytes, forKey: .memoryBytes)
        try container.encodeIfPresent(nanoCPUs, forKey: .nanoCPUs)
        try container.encodeIfPresent(logging, forKey: .logging)
        try container.encodeIfPresent(networkMode, forKey: .networkMode)
        try container.encodeIfPresent(healthcheck, forKey: .healthcheck)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(workingDir, forKey: .workingDir)
    }
}
