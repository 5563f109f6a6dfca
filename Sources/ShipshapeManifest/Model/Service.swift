/// A long-running containerised service: on this host's Docker daemon or on Amazon ECS.
public struct Service: Sendable, Hashable {
    /// Where a service runs.
    public enum Runtime: String, Sendable, Hashable, CaseIterable {
        /// Containers on the Docker daemon of the host the controller runs on.
        case docker
        /// An Amazon ECS service.
        case ecs
    }

    /// The key under `services:`.
    public var name: String
    /// `runtime:`, required.
    public var runtime: Runtime
    /// `image:` plus `tag:` or `digest:`.
    public var image: ImageReference
    /// Number of containers or tasks (default 1; 0 keeps the service defined but stopped).
    public var replicas: Int
    /// Published ports.
    public var ports: [PortMapping]
    /// Plain environment variables.
    public var env: [String: String]
    /// Overrides the image's command when set.
    public var command: [String]?
    /// How to tell that a replica is healthy.
    public var health: HealthCheck?
    /// Environment variables whose values come from a secret store, by variable name.
    public var secrets: [String: SecretReference] = [:]
    /// How a new version rolls out (default: rolling, one replica at a time).
    public var strategy = DeploymentStrategy()
    /// Memory and CPU limits per replica.
    public var resources: ResourceLimits?
    /// Docker restart policy (runtime `docker`; nil lets the controller apply `unlessStopped`).
    public var restart: RestartPolicy?
    /// Log driver and options.
    public var logging: LogOptions?
    /// Mounted volumes (runtime `docker`).
    public var volumes: [VolumeMount] = []
    /// Network mode (nil: Docker's default bridge, or `awsvpc` on ECS).
    public var networkMode: NetworkMode?
    /// ECS cluster and networking (runtime `ecs`, required there).
    public var ecs: ECSPlacement?

    /// Creates a service.
    public init(
        name: String,
        runtime: Runtime,
        image: ImageReference,
        replicas: Int = 1,
        ports: [PortMapping] = [],
        env: [String: String] = [:],
        command: [String]? = nil,
        health: HealthCheck? = nil
    ) {
        self.name = name
        self.runtime = runtime
        self.image = image
        self.replicas = replicas
        self.ports = ports
        self.env = env
        self.command = command
        self.health = health
    }
}
