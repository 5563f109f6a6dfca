// The Docker Engine API's JSON (API 1.41) for images and the daemon itself.

struct WireImageInspect: Decodable, Sendable {
    var id: String
    var repoTags: [String]?
    var repoDigests: [String]?
    var created: String?
    var size: Int64?
    var config: WireContainerConfig?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case repoTags = "RepoTags"
        case repoDigests = "RepoDigests"
        case created = "Created"
        case size = "Size"
        case config = "Config"
    }
}

struct WireImageSummary: Decodable, Sendable {
    var id: String
    var repoTags: [String]?
    var repoDigests: [String]?
    var created: Int64?
    var size: Int64?
    var labels: [String: String]?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case repoTags = "RepoTags"
        case repoDigests = "RepoDigests"
        case created = "Created"
        case size = "Size"
        case labels = "Labels"
    }
}

struct WireVersion: Decodable, Sendable {
    var version: String?
    var apiVersion: String?
    var minAPIVersion: String?
    var os: String?
    var arch: String?
    var kernelVersion: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case apiVersion = "ApiVersion"
        case minAPIVersion = "MinAPIVersion"
        case os = "Os"
        case arch = "Arch"
        case kernelVersion = "KernelVersion"
    }
}

/// One line of the `POST /images/create` progress stream.
struct WireProgressLine: Decodable, Sendable {
    struct ErrorDetail: Decodable, Sendable { var message: String? }
    var status: String?
    var id: String?
    var progress: String?
    var error: String?
    var errorDetail: ErrorDetail?
}
