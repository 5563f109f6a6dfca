import Foundation

/// One container as `GET /containers/{id}/json` describes it.
///
/// `spec` is the configuration read back in `ContainerSpec` form (with the image's defaults merged
/// in, as the daemon stores it); compare it with a desired spec through `differences(from:image:)`.
public struct ContainerDetails: Sendable, Hashable {
    /// The full container id.
    public var id: String
    /// The name without Docker's leading slash.
    public var name: String
    /// Creation time, as the daemon wrote it (RFC 3339 with nanoseconds).
    public var created: String
    /// The id (`sha256:…`) of the image the container runs.
    public var imageID: String
    /// The configuration as the daemon holds it (image defaults included).
    public var spec: ContainerSpec
    /// Run state and health.
    public var state: ContainerState
    /// How often the daemon restarted the container.
    public var restartCount: Int
    /// The ports actually bound on the host (host port chosen when the spec left it open).
    public var boundPorts: [PublishedPort]

    /// The image reference the container was created from.
    public var image: String { spec.image }
    /// The labels (image labels included).
    public var labels: [String: String] { spec.labels }
    /// Environment as `KEY=VALUE` (image environment included).
    public var env: [String] { spec.env }
    /// The command (the image's when the container did not replace it).
    public var cmd: [String]? { spec.cmd }
}

/// A container's run state.
public struct ContainerState: Sendable, Hashable {
    /// `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`.
    public var status: String
    /// The process runs (also while paused or restarting).
    public var running: Bool
    /// The daemon is restarting the container under its restart policy.
    public var restarting: Bool
    /// The kernel killed the process for exceeding its memory limit.
    public var oomKilled: Bool
    /// The exit code of the last run (0 while running).
    public var exitCode: Int
    /// The daemon's error starting the container, if any.
    public var error: String
    /// RFC 3339 times; `"0001-01-01T00:00:00Z"` when never started or finished.
    public var startedAt: String
    /// When the last run ended, RFC 3339.
    public var finishedAt: String
    /// The health check's state; nil when the container has no health check.
    public var health: ContainerHealth?
}

/// The state of a container's health check.
public struct ContainerHealth: Sendable, Hashable {
    /// The health status the daemon reports.
    public enum Status: String, Sendable, Hashable {
        case starting
        case healthy
        case unhealthy
        /// Docker's `none`: the health check is disabled.
        case disabled = "none"
    }
    /// Where the check stands.
    public var status: Status
    /// Consecutive failed checks.
    public var failingStreak: Int
    /// The output of the latest check (trimmed), for messages.
    public var lastOutput: String?
    /// The exit code of the latest check.
    public var lastExitCode: Int?
}

extension ContainerDetails {
    init(wire: WireContainerInspect) {
        let config = wire.config ?? WireContainerConfig()
        let host = wire.hostConfig ?? WireHostConfig()
        id = wire.id
        let rawName = wire.name ?? ""
        name = rawName.hasPrefix("/") ? String(rawName.dropFirst()) : rawName
        created = wire.created ?? ""
        imageID = wire.image ?? ""
        restartCount = wire.restartCount ?? 0
        spec = ContainerSpec(wireConfig: config, hostConfig: host)
        let wireState = wire.state
        state = ContainerState(
            status: wireState?.status ?? "",
            running: wireState?.running ?? false,
            restarting: wireState?.restarting ?? false,
            oomKilled: wireState?.oomKilled ?? false,
            exitCode: wireState?.exitCode ?? 0,
            error: wireState?.error ?? "",
            startedAt: wireState?.startedAt ?? "",
            finishedAt: wireState?.finishedAt ?? "",
            health: wireState?.health.map { health in
                let last = health.log?.last
                return ContainerHealth(
                    status: ContainerHealth.Status(rawValue: health.status ?? "none") ?? .disabled,
                    failingStreak: health.failingStreak ?? 0,
                    lastOutput: last?.output?.trimmingCharacters(in: .whitespacesAndNewlines),
                    lastExitCode: last?.exitCode)
            })
        boundPorts = ContainerSpec.publishedPorts(from: wire.networkSettings?.ports ?? [:])
    }
}
