import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShipshapeDocker
import ShipshapeManifest

/// Decides whether a freshly started container is healthy.
///
/// A container is healthy when both hold: its own Docker health check (from the manifest's
/// `health.command` or the image's `HEALTHCHECK`), if it has one, reports `healthy`; and, with an
/// HTTP check (`health.http`, or a strategy's `probe`), a GET on 127.0.0.1 at the host port the
/// check's container port is published on answers 2xx. With neither, the container must still be
/// running after a short settling time. A container that exits, or whose Docker health check
/// reports `unhealthy`, fails at once; otherwise the check is retried every 250 ms until the timeout.
struct HealthProbe: Sendable {
    let httpClient: HTTPClient

    /// How long `waitHealthy` waits: the health check's timeout, else the probe's, else 60 s.
    static func timeout(health: HealthCheck?, probe: HealthCheck?) -> Duration {
        health?.timeout ?? probe?.timeout ?? .seconds(60)
    }

    /// Waits for the container `id` (created from `spec`) to become healthy; throws why not.
    func waitHealthy(
        id: String, spec: ContainerSpec, health: HealthCheck?, probe: HealthCheck? = nil, client: DockerClient
    ) async throws {
        let timeout = Self.timeout(health: health, probe: probe)
        let deadline = ContinuousClock.now + timeout
        let urls = [health, probe].compactMap { $0.flatMap { probeURL($0, spec: spec) } }
        var settledSince: ContinuousClock.Instant?
        var lastProblem = "no answer yet"
        while ContinuousClock.now < deadline {
            let details = try await client.inspectContainer(id)
            if let problem = try await check(details, urls: urls) {
                lastProblem = problem
                settledSince = nil
            } else if details.state.health != nil && details.state.health?.status != .disabled || !urls.isEmpty {
                return
            } else {
                // Nothing to ask: running for a second is all we can tell.
                let now = ContinuousClock.now
                if let since = settledSince, now - since >= .seconds(1) { return }
                if settledSince == nil { settledSince = now }
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw DockerProviderError("container did not become healthy within \(timeout): \(lastProblem)")
    }

    /// One look at a running container: nil when it is healthy now, else what is wrong. Throws when
    /// it can never become healthy (it exited, or its Docker health check says `unhealthy`).
    func check(_ details: ContainerDetails, urls: [String]) async throws -> String? {
        guard details.state.running || details.state.restarting else {
            throw DockerProviderError(
                "container \(details.name) exited with code \(details.state.exitCode)\(details.state.error.isEmpty ? "" : ": \(details.state.error)")"
            )
        }
        if details.state.restarting { return "container \(details.name) is restarting" }
        if let health = details.state.health, health.status != .disabled {
            switch health.status {
            case .unhealthy:
                throw DockerProviderError(
                    "container \(details.name): Docker health check reports unhealthy\(health.lastOutput.map { ": \($0)" } ?? "")")
            case .starting: return "Docker health status starting"
            case .healthy, .disabled: break
            }
        }
        for url in urls {
            if let problem = await get(url) { return problem }
        }
        return nil
    }

    /// nil when `url` answers 2xx within 2 s, else what went wrong.
    func get(_ url: String) async -> String? {
        do {
            let response = try await httpClient.execute(HTTPClientRequest(url: url), timeout: .seconds(2))
            _ = try? await response.body.collect(upTo: 1 << 20)
            return (200..<300).contains(response.status.code) ? nil : "HTTP \(response.status.code) from \(url)"
        } catch {
            return "\(url): \(error)"
        }
    }

    /// `http://127.0.0.1:HOSTPORT/PATH` for the health check, when its port is published.
    func probeURL(_ health: HealthCheck, spec: ContainerSpec) -> String? {
        guard let path = health.httpPath else { return nil }
        let candidates = spec.publishedPorts.filter { $0.containerPort.protocol == .tcp }
        let published = health.port.flatMap { port in candidates.first { $0.containerPort.port == port } } ?? candidates.first
        guard let published, let hostPort = published.hostPort else { return nil }
        let host = Self.loopbackHost(published.hostIP)
        let address = host.contains(":") ? "[\(host)]" : host
        return "http://\(address):\(hostPort)\(path.hasPrefix("/") ? path : "/" + path)"
    }

    /// The address to reach a port published on `hostIP` from this host.
    static func loopbackHost(_ hostIP: String?) -> String {
        switch hostIP {
        case nil, "", "0.0.0.0": "127.0.0.1"
        case "::": "::1"
        case let address?: address
        }
    }
}
