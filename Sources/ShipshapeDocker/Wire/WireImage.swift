// The Docker Engine API's JSON (API 1.41) for images and the daemon itself.

struct WireImageInspect: Decodable, Sendable {
    var Id: String
    var RepoTags: [String]?
    var RepoDigests: [String]?
    var Created: String?
    var Size: Int64?
    var Config: WireContainerConfig?
}

struct WireImageSummary: Decodable, Sendable {
    var Id: String
    var RepoTags: [String]?
    var RepoDigests: [String]?
    var Created: Int64?
    var Size: Int64?
    var Labels: [String: String]?
    var Containers: Int?
}

struct WireVersion: Decodable, Sendable {
    var Version: String?
    var ApiVersion: String?
    var MinAPIVersion: String?
    var Os: String?
    var Arch: String?
    var KernelVersion: String?
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

struct WireDeletedImage: Decodable, Sendable {
    var Untagged: String?
    var Deleted: String?
}
