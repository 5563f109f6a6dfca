// The Docker Engine API's JSON (API 1.41) for containers, only the fields Shipshape reads or writes.
// Every field is optional on decode: the daemon omits or nulls many of them, and extra fields are ignored.

/// `{}` in Docker's port and volume sets.
struct WireEmpty: Codable, Hashable, Sendable {}

struct WirePortBinding: Codable, Hashable, Sendable {
    var hostIP: String?
    var hostPort: String?

    enum CodingKeys: String, CodingKey {
        case hostIP = "HostIp"
        case hostPort = "HostPort"
    }
}

struct WireRestartPolicy: Codable, Hashable, Sendable {
    var name: String?
    var maximumRetryCount: Int?

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case maximumRetryCount = "MaximumRetryCount"
    }
}

struct WireLogConfig: Codable, Hashable, Sendable {
    var type: String?
    var config: [String: String]?

    enum CodingKeys: String, CodingKey {
        case type = "Type"
        case config = "Config"
    }
}

struct WireHealthConfig: Codable, Hashable, Sendable {
    var test: [String]?
    var interval: Int64?
    var timeout: Int64?
    var retries: Int?
    var startPeriod: Int64?

    enum CodingKeys: String, CodingKey {
        case test = "Test"
        case interval = "Interval"
        case timeout = "Timeout"
        case retries = "Retries"
        case startPeriod = "StartPeriod"
    }
}

struct WireContainerConfig: Codable, Sendable {
    var image: String?
    var cmd: [String]?
    var entrypoint: [String]?
    var env: [String]?
    var labels: [String: String]?
    var exposedPorts: [String: WireEmpty]?
    var user: String?
    var workingDir: String?
    var healthcheck: WireHealthConfig?

    enum CodingKeys: String, CodingKey {
        case image = "Image"
        case cmd = "Cmd"
        case entrypoint = "Entrypoint"
        case env = "Env"
        case labels = "Labels"
        case exposedPorts = "ExposedPorts"
        case user = "User"
        case workingDir = "WorkingDir"
        case healthcheck = "Healthcheck"
    }
}

struct WireHostConfig: Codable, Sendable {
    var binds: [String]?
    var portBindings: [String: [WirePortBinding]?]?
    var restartPolicy: WireRestartPolicy?
    var memory: Int?
    var nanoCPUs: Int?
    var logConfig: WireLogConfig?
    var networkMode: String?

    enum CodingKeys: String, CodingKey {
        case binds = "Binds"
        case portBindings = "PortBindings"
        case restartPolicy = "RestartPolicy"
        case memory = "Memory"
        case nanoCPUs = "NanoCpus"
        case logConfig = "LogConfig"
        case networkMode = "NetworkMode"
    }
}

/// The body of `POST /containers/create`: the container config with the host config inside.
struct WireCreateContainer: Encodable, Sendable {
    var config: WireContainerConfig
    var hostConfig: WireHostConfig

    private enum HostConfigKey: String, CodingKey {
        case hostConfig = "HostConfig"
    }

    func encode(to encoder: any Encoder) throws {
        try config.encode(to: encoder)
        var container = encoder.container(keyedBy: HostConfigKey.self)
        try container.encode(hostConfig, forKey: .hostConfig)
    }
}

struct WireCreateResponse: Decodable, Sendable {
    var id: String
    var warnings: [String]?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case warnings = "Warnings"
    }
}

struct WireContainerSummary: Decodable, Sendable {
    var id: String
    var names: [String]?
    var image: String?
    var imageID: String?
    var command: String?
    var created: Int64?
    var labels: [String: String]?
    var state: String?
    var status: String?
    var ports: [WireSummaryPort]?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case names = "Names"
        case image = "Image"
        case imageID = "ImageID"
        case command = "Command"
        case created = "Created"
        case labels = "Labels"
        case state = "State"
        case status = "Status"
        case ports = "Ports"
    }
}

struct WireSummaryPort: Decodable, Sendable {
    var ip: String?
    var privatePort: Int?
    var publicPort: Int?
    var type: String?

    enum CodingKeys: String, CodingKey {
        case ip = "IP"
        case privatePort = "PrivatePort"
        case publicPort = "PublicPort"
        case type = "Type"
    }
}

struct WireHealthLog: Decodable, Sendable {
    var exitCode: Int?
    var output: String?

    enum CodingKeys: String, CodingKey {
        case exitCode = "ExitCode"
        case output = "Output"
    }
}

struct WireHealth: Decodable, Sendable {
    var status: String?
    var failingStreak: Int?
    var log: [WireHealthLog]?

    enum CodingKeys: String, CodingKey {
        case status = "Status"
        case failingStreak = "FailingStreak"
        case log = "Log"
    }
}

struct WireContainerState: Decodable, Sendable {
    var status: String?
    var running: Bool?
    var restarting: Bool?
    var oomKilled: Bool?
    var exitCode: Int?
    var error: String?
    var startedAt: String?
    var finishedAt: String?
    var health: WireHealth?

    enum CodingKeys: String, CodingKey {
        case status = "Status"
        case running = "Running"
        case restarting = "Restarting"
        case oomKilled = "OOMKilled"
        case exitCode = "ExitCode"
        case error = "Error"
        case startedAt = "StartedAt"
        case finishedAt = "FinishedAt"
        case health = "Health"
    }
}

struct WireNetworkSettings: Decodable, Sendable {
    var ports: [String: [WirePortBinding]?]?

    enum CodingKeys: String, CodingKey {
        case ports = "Ports"
    }
}

struct WireContainerInspect: Decodable, Sendable {
    var id: String
    var name: String?
    var created: String?
    var image: String?
    var restartCount: Int?
    var config: WireContainerConfig?
    var state: WireContainerState?
    var hostConfig: WireHostConfig?
    var networkSettings: WireNetworkSettings?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case name = "Name"
        case created = "Created"
        case image = "Image"
        case restartCount = "RestartCount"
        case config = "Config"
        case state = "State"
        case hostConfig = "HostConfig"
        case networkSettings = "NetworkSettings"
    }
}

struct WireWaitResponse: Decodable, Sendable {
    struct WaitError: Decodable, Sendable {
        var message: String?

        enum CodingKeys: String, CodingKey {
            case message = "Message"
        }
    }
    var statusCode: Int
    var error: WaitError?

    enum CodingKeys: String, CodingKey {
        case statusCode = "StatusCode"
        case error = "Error"
    }
}

struct WireMessage: Decodable, Sendable {
    var message: String?
}
