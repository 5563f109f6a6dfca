import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A real Prometheus server (Debian's `prometheus`) on a free loopback port, scraping the given
/// targets every second.
public final class PrometheusServer: Sendable {
    public let port: Int
    public let directory: TemporaryDirectory
    private let process: BackgroundProcess

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// One sample of an instant-vector query result.
    public struct Sample: Sendable {
        public var labels: [String: String]
        public var value: String
    }

    private init(port: Int, directory: TemporaryDirectory, process: BackgroundProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Starts Prometheus scraping `targets` (`127.0.0.1:PORT`) under job `job`. Fails with a clear
    /// message when `prometheus` is not installed.
    public static func start(scraping targets: [String], job: String = "shipshape") async throws -> PrometheusServer {
        try await MonitoringTools.require("prometheus", package: "prometheus")
        let directory = try TemporaryDirectory(prefix: "shipshape-prometheus")
        let quoted = targets.map { "'\($0)'" }.joined(separator: ", ")
        let config = try directory.write(
            """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: \(job)
                static_configs:
                  - targets: [\(quoted)]

            """, to: "prometheus.yml")
        let port = try LoopbackPort.free()
        let process = try BackgroundProcess(
            name: "prometheus",
            [
                "prometheus", "--config.file=\(config)", "--storage.tsdb.path=\(directory.appending("data"))",
                "--web.listen-address=127.0.0.1:\(port)",
            ],
            logDirectory: directory.path)
        let server = PrometheusServer(port: port, directory: directory, process: process)
        do {
            try await LoopbackPort.waitUntilOpen(port, timeout: .seconds(30), what: "prometheus")
        } catch {
            let output = process.recentOutput()
            await server.stop()
            throw HarnessError("prometheus did not start: \(error)\n\(output)")
        }
        return server
    }

    /// Runs an instant PromQL query and returns its vector samples.
    public func query(_ promql: String) async throws -> [Sample] {
        var components = URLComponents(string: "\(baseURL)/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: promql)]
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: components.string!), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 << 20)
        guard response.status == .ok,
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
            let data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else {
            throw HarnessError("prometheus query `\(promql)` failed: HTTP \(response.status.code): \(String(buffer: body))")
        }
        return result.map { item in
            let labels = item["metric"] as? [String: String] ?? [:]
            let value = (item["value"] as? [Any])?.last as? String ?? ""
            return Sample(labels: labels, value: value)
        }
    }

    /// The health of the scrape targets (`up`, last error), for failure messages.
    public func targets() async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(baseURL)/api/v1/targets"), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 8 << 20))
    }

    /// The server's recent log output.
    public func recentOutput() -> String { process.recentOutput() }

    /// Stops the server and removes its data.
    public func stop() async {
        await process.stop()
        directory.remove()
    }
}
