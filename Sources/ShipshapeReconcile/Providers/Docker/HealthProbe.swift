import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShipshapeDocker
import ShipshapeManifest

/// Decides whether a freshly started container is healthy.
///
/// With an HTTP health check in the manifest, the check is a GET on 127.0.0.1 at the host port the
/// container's health port is published on, every 250 ms until it answers 2xx or the timeout passes.
/// Without one, the container's own Docker health check must report healthy, or, when it has none,
/// the container must still be running after a short settling time. A container that exits fails
/// at once.
struct HealthProbe: Sendable {
    let httpClient: HTTPClient

    /// Waits for the container `id` (created from `spec`) to become healthy; throws why not.
    func waitHealthy(
        id: String, spec: ContainerSpec, health: HealthCheck?, client: DockerClient
    ) async throws {
        let timeout = health?.timeout ?? .seconds(60)
        let deadline = ContinuousClock.now + timeout
        let url = health.flatMap { probeURL($0, spec: spec) }
        var settledSince: ContinuousClock.Instant?
        var lastProblem = "no answer yet"
        while ContinuousClock.now < deadline {
            let details = try await client.inspectContainer(id)
            guard details.state.running || details.state.restarting else {
                throw DockerProviderError(
                    "container \(details.name) exited with code \(details.state.exitCode) while starting\(details.state.error.isEmpty ? "" : ": \(details.state.error)")")
            }
            if let url {
                do {
                    let response = try await httpClient.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
                    _ = try? await response.body.collect(upTo: 1 << 20)
                    if (200..<300).contains(response.status.code) { return }
                    lastProblem = "HTTP \(response.status.code) from \(url)"
                } catch {
                    lastProblem = "\(url): \(error)"
                }
            } else if let health = details.state.health, health.status != .disabled {
                if health.status == .healthy { return }
                lastProblem = "Docker health status \(health.status.rawValue)"
            } else if details.state.running {
                let now = ContinuousClock.now
                if let since = settledSince, now - since >= .seconds(1) { return }
                if settledSince == nil { settledSince = now }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw DockerProviderError("container did not become healthy within \(timeout): \(lastProblem)")
    }

    /// `http://127.0.0.1:HOSTPORT/PATH` for the health check, when its port is published.
    func probeURL(_ health: HealthCheck, spec: ContainerSpec) -> String? {
        guard let path = health.httpPath else { return nil }
        let candidates = spec.publishedPorts.filter { $0.containerPort.protocol == .tcp }
        let published = health.port.flatMap { port in candidates.first { $0.containerPort.port == port } } ?? candidates.first
        guard let published, let hostPort = published.hostPort else { return nil }
        let host: String
        switch published.hostIP {
        case nil, "", "0.0.0.0", "::": host = "127.0.0.1"
        case let address?: host = address.contains(":") ? "[\(address)]" : address
        }
        return "http://\(host):\(hostPort)\(path.hasPrefix("/") ? path : "/" + path)"
    }
}
