import Foundation

/// One image as `GET /images/{name}/json` describes it.
public struct ImageDetails: Sendable, Hashable {
    /// The image id, `sha256:…`.
    public var id: String
    /// Tags naming this image, e.g. `["127.0.0.1:5000/api:1.0.0"]`.
    public var repoTags: [String]
    /// Registry digests, e.g. `["127.0.0.1:5000/api@sha256:…"]` (empty for images never pushed or pulled).
    public var repoDigests: [String]
    /// Creation time (RFC 3339).
    public var created: String
    /// Size in bytes.
    public var size: Int64
    /// The image's defaults for containers (entrypoint, cmd, env, labels, exposed ports, user,
    /// working directory, health check), in `ContainerSpec` form; `image` is the image id.
    public var defaults: ContainerSpec

    init(wire: WireImageInspect) {
        id = wire.id
        repoTags = wire.repoTags ?? []
        repoDigests = wire.repoDigests ?? []
        created = wire.created ?? ""
        size = wire.size ?? 0
        var config = wire.config ?? WireContainerConfig()
        config.image = wire.id
        defaults = ContainerSpec(wireConfig: config, hostConfig: WireHostConfig())
    }
}

/// One image as `GET /images/json` lists it.
public struct ImageSummary: Sendable, Hashable {
    /// The image id, `sha256:…`.
    public var id: String
    /// Tags naming this image (`<none>:<none>` left out).
    public var repoTags: [String]
    /// Registry digests (`<none>@<none>` left out).
    public var repoDigests: [String]
    /// Creation time.
    public var created: Date
    /// Size in bytes.
    public var size: Int64
    /// The image's labels.
    public var labels: [String: String]

    init(wire: WireImageSummary) {
        id = wire.id
        repoTags = (wire.repoTags ?? []).filter { $0 != "<none>:<none>" }
        repoDigests = (wire.repoDigests ?? []).filter { $0 != "<none>@<none>" }
        created = Date(timeIntervalSince1970: TimeInterval(wire.created ?? 0))
        size = wire.size ?? 0
        labels = wire.labels ?? [:]
    }
}

/// The daemon's version, from `GET /version`.
public struct DockerVersion: Sendable, Hashable {
    /// Engine version, e.g. `"20.10.24+dfsg1"`.
    public var version: String
    /// Highest API version the daemon speaks, e.g. `"1.41"`.
    public var apiVersion: String
    /// Lowest API version the daemon accepts.
    public var minAPIVersion: String
    /// The daemon's operating system, e.g. `linux`.
    public var os: String
    /// The daemon's architecture, e.g. `amd64`.
    public var arch: String
    /// The host kernel's version.
    public var kernelVersion: String
}
