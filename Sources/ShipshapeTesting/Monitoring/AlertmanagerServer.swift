import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A real Alertmanager (Debian's `prometheus-alertmanager`) on a free loopback port, clustering off,
/// routing everything to a receiver that sends nothing.
public final class AlertmanagerServer: Sendable {
    public let port: Int
    public let directory: TemporaryDirectory
    private let process: BackgroundProcess

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// An alert as `GET /api/v2/alerts` returns it.
    public struct Alert: Sendable {
        public var labels: [String: String]
        public var annotations: [String: String]
        /// `active`, `suppressed` or `unprocessed`.
        public var state: String
        public var endsAt: String
    }

    private init(port: Int, directory: TemporaryDirectory, process: BackgroundProcess) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Starts Alertmanager. Fails with a clear message when it is not installed.
    public static func start() async throws -> AlertmanagerServer {
        try await MonitoringTools.require("prometheus-alertmanager", package: "prometheus-alertmanager")
        let directory = try TemporaryDirectory(prefix: "shipshape-alertmanager")
        let config = try directory.write(
            """
            route:
              receiver: discard
              group_wait: 1s
            receivers:
              - name: discard

            """, to: "alertmanager.yml")
        let port = try LoopbackPort.free()
        let process = try BackgroundProcess(
            name: "alertmanager",
            [
                "prometheus-alertmanager", "--config.file=\(config)", "--storage.path=\(directory.appending("data"))",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
            ],
            logDirectory: directory.path)
        let server = AlertmanagerServer(port: port, directory: directory, process: process)
        do {
            try await LoopbackPort.waitUntilOpen(port, timeout: .seconds(30), what: "alertmanager")
        } catch {
            let output = process.recentOutput()
            await server.stop()
            throw HarnessError("alertmanager did not start: \(error)\n\(output)")
        }
        return server
    }

    /// The alerts Alertmanager holds (`GET /api/v2/alerts`; by default only active ones).
    public func alerts(query: String = "") async throws -> [Alert] {
        let url = "\(baseURL)/api/v2/alerts" + (query.isEmpty ? "" : "?\(query)")
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 << 20)
        guard response.status == .ok, let items = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]] else {
            throw HarnessError("alertmanager GET /api/v2/alerts failed: HTTP \(response.status.code): \(String(buffer: body))")
        }
        return items.map { item in
            Alert(
                labels: item["labels"] as? [String: String] ?? [:],
                annotations: item["annotations"] as? [String: String] ?? [:],
                state: (item["status"] as? [String: Any])?["state"] as? String ?? "",
                endsAt: item["endsAt"] as? String ?? "")
        }
    }

    /// The server's recent log output.
    public func recentOutput() -> String { process.recentOutput() }

    /// Stops the server and removes its data.
    public func stop() async {
        await process.stop()
        directory.remove()
    }
}
