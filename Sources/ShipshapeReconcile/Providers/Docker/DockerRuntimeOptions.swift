public import Foundation

/// How the Docker provider rolls out, authenticates, resolves secrets and cleans up.
///
/// Every field has a default, so `DockerRuntimeOptions()` runs rolling and canary rollouts with
/// anonymous pulls; a service with secrets needs `secrets`, one with `strategy.type: blueGreen` a
/// traffic switch, one with `strategy.analysis` a metric query.
public struct DockerRuntimeOptions: Sendable {
    /// Resolves `secrets:` references at deploy time; nil fails a service that has secrets.
    public var secrets: (any SecretResolver)?
    /// Credentials for pulls; nil pulls anonymously.
    public var registryCredentials: (any RegistryCredentialsProvider)?
    /// The blue/green switch for services without `strategy.targetGroupArn` (e.g. `NginxUpstreamSwitch`).
    public var localTrafficSwitch: (any TrafficSwitch)?
    /// The blue/green switch for services with `strategy.targetGroupArn` (`ELBv2TrafficSwitch`).
    public var targetGroupTrafficSwitch: (any TrafficSwitch)?
    /// Evaluates canary analysis queries (`PrometheusMetricQuery`); nil fails a service that has
    /// `strategy.analysis`.
    public var metrics: (any MetricQuery)?
    /// How many earlier images of each service's repository stay on the host for a rollback without
    /// a pull (default 3); older Shipshape-used tags are removed after a successful rollout.
    public var keepPreviousImages: Int
    /// Blue/green: the alternate set publishes every port `slotPortOffset` higher (default 100), so
    /// a service with ports from 18080 uses 18080… and 18180… in turn.
    public var slotPortOffset: Int
    /// How long a stopped container gets to exit before it is killed (default 10 s).
    public var stopTimeout: Duration
    /// Inspect requests in flight at once while observing, and replicas started and health-checked at
    /// once during a rollout (default 8).
    public var inspectConcurrency: Int
    /// The wall clock that blue/green retirement is measured with (`keepBlueFor`); tests move it.
    public var now: @Sendable () -> Date

    public init(
        secrets: (any SecretResolver)? = nil,
        registryCredentials: (any RegistryCredentialsProvider)? = nil,
        localTrafficSwitch: (any TrafficSwitch)? = nil,
        targetGroupTrafficSwitch: (any TrafficSwitch)? = nil,
        metrics: (any MetricQuery)? = nil,
        keepPreviousImages: Int = 3,
        slotPortOffset: Int = 100,
        stopTimeout: Duration = .seconds(10),
        inspectConcurrency: Int = 8,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.secrets = secrets
        self.registryCredentials = registryCredentials
        self.localTrafficSwitch = localTrafficSwitch
        self.targetGroupTrafficSwitch = targetGroupTrafficSwitch
        self.metrics = metrics
        self.keepPreviousImages = keepPreviousImages
        self.slotPortOffset = slotPortOffset
        self.stopTimeout = stopTimeout
        self.inspectConcurrency = inspectConcurrency
        self.now = now
    }
}
