extension DockerClient {
    /// How a container's health check settled.
    public enum HealthOutcome: Sendable, Hashable {
        /// The health check passes.
        case healthy
        /// The health check failed `retries` times in a row; `lastOutput` is the latest check's output.
        case unhealthy(lastOutput: String?)
        /// The container has no health check (neither its spec nor its image defines one): running is all we know.
        case noHealthcheck
    }

    /// Polls `inspectContainer` every `pollInterval` until the health check settles.
    ///
    /// Returns `.healthy` or `.unhealthy`, or `.noHealthcheck` at once for a running container
    /// without a health check.
    /// - Throws: `DockerError` `unhealthy` when the container stops (or is not running) before its
    ///   check settles, `timeout` when it is still `starting` after `timeout`, `notFound` when it
    ///   does not exist.
    public func waitHealthy(_ idOrName: String, timeout: Duration, pollInterval: Duration = .milliseconds(500))
        async throws -> HealthOutcome
    {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let resource = Self.display(idOrName)
        while true {
            let details = try await inspectContainer(idOrName)
            guard details.state.running else {
                throw DockerError(
                    code: .unhealthy, operation: "wait until healthy", resource: resource,
                    message:
                        "the container is \(details.state.status) (exit code \(details.state.exitCode))\(details.state.error.isEmpty ? "" : ": \(details.state.error)")",
                    hint: "Read its output with `docker logs \(resource)`")
            }
            switch details.state.health?.status {
            case nil, .disabled?:
                return .noHealthcheck
            case .healthy:
                return .healthy
            case .unhealthy:
                return .unhealthy(lastOutput: details.state.health?.lastOutput)
            case .starting:
                if clock.now >= deadline {
                    let output = details.state.health?.lastOutput.map { "; last check output: \($0)" } ?? ""
                    throw DockerError(
                        code: .timeout, operation: "wait until healthy", resource: resource,
                        message: "the health check is still starting after \(timeout)\(output)",
                        hint: "Check the health check's command, interval and start period, or wait longer")
                }
                try await clock.sleep(for: min(pollInterval, max(.zero, deadline - clock.now)) + .milliseconds(1))
            }
        }
    }
}
