// The Docker Engine API's JSON (API 1.41) for containers, only the fields Shipshape reads or writes.
// Every field is optional on decode: the daemon omits or nulls many of them, and extra fields are ignored.

/// `{}` in Docker's port and volume sets.
struct WireEmpty: Codable, Hashable, Sendable {}

struct WirePortBinding: Codable, Hashable, Sendable {
    var HostIp: String?
    var HostPort: String?
}

struct WireRestartPolicy: Codable, Hashable, Sendable {
    var Name: String?
    var MaximumRetryCount: Int?
}

struct WireLogConfig: Codable, Hashable, Sendable {
    var `Type`: String?
    var Config: [String: String]?
}

struct WireHealthConfig: Codable, Hashable, Sendable {
    var Test: [String]?
    var Interval: Int64?
    var Timeout: Int64?
    var Retries: Int?
    var StartPeriod: Int64?
}

struct WireContainerConfig: Codable, Sendable {
    var Image: String?
    var Cmd: [String]?
    var Entrypoint: [String]?
    var Env: [String]?
    var Labels: [String: String]?
    var ExposedPorts: [String: WireEmpty]?
    var User: String?
    var WorkingDir: String?
    var Healthcheck: WireHealthConfig?
}

struct WireHostConfig: Codable, Sendable {
    var Binds: [String]?
    var PortBindings: [String: [WirePortBinding]?]?
    var RestartPolicy: WireRestartPolicy?
    var Memory: Int?
    var NanoCpus: Int?
    var LogConfig: WireLogConfig?
    var NetworkMode: String?
}

/// The body of `POST /containers/create`: the container config with the host config inside.
struct WireCreateContainer: Encodable, Sendable {
    var Image: String
    var Cmd: [String]?
    var Entrypoint: [String]?
    var Env: [String]?
    var Labels: [String: String]?
    var ExposedPorts: [String: WireEmpty]?
    var User: String?
    var WorkingDir: String?
    var Healthcheck: WireHealthConfig?
    var HostConfig: WireHostConfig
}

struct WireCreateResponse: Decodable, Sendable {
    var Id: String
    var Warnings: [String]?
}

struct WireContainerSummary: Decodable, Sendable {
    var Id: String
    var Names: [String]?
    var Image: String?
    var ImageID: String?
    var Command: String?
    var Created: Int64?
    var Labels: [String: String]?
    var State: String?
    var Status: String?
    var Ports: [WireSummaryPort]?
}

struct WireSummaryPort: Decodable, Sendable {
    var IP: String?
    var PrivatePort: Int?
    var PublicPort: Int?
    var `Type`: String?
}

struct WireHealthLog: Decodable, Sendable {
    var ExitCode: Int?
    var Output: String?
}

struct WireHealth: Decodable, Sendable {
    var Status: String?
    var FailingStreak: Int?
    var Log: [WireHealthLog]?
}

struct WireContainerState: Decodable, Sendable {
    var Status: String?
    var Running: Bool?
    var Restarting: Bool?
    var OOMKilled: Bool?
    var ExitCode: Int?
    var Error: String?
    var StartedAt: String?
    var FinishedAt: String?
    var Health: WireHealth?
}

struct WireNetworkSettings: Decodable, Sendable {
    var Ports: [String: [WirePortBinding]?]?
}

struct WireContainerInspect: Decodable, Sendable {
    var Id: String
    var Name: String?
    var Created: String?
    var Image: String?
    var RestartCount: Int?
    var Config: WireContainerConfig?
    var State: WireContainerState?
    var HostConfig: WireHostConfig?
    var NetworkSettings: WireNetworkSettings?
}

struct WireWaitResponse: Decodable, Sendable {
    struct WaitError: Decodable, Sendable { var Message: String? }
    var StatusCode: Int
    var Error: WaitError?
}

struct WireMessage: Decodable, Sendable {
    var message: String?
}
