import Foundation
public import Logging

/// The local blue/green switch: writes an nginx `upstream` block per service and reloads nginx.
///
/// For `service/api` in `prod` it writes `DIRECTORY/prod-api.conf`:
///
/// ```
/// upstream shipshape_prod_api {
///     server 127.0.0.1:18180 max_fails=1 fail_timeout=5s;
///     server 127.0.0.1:18181 max_fails=1 fail_timeout=5s;
/// }
/// ```
///
/// An nginx configuration that `include`s the directory proxies to `http://shipshape_prod_api`.
/// The file is replaced atomically, then `reloadCommand` runs (e.g. `["nginx", "-s", "reload"]` or
/// `["systemctl", "reload", "nginx"]`); when it fails, the previous file is put back and the error
/// names the command and its output. nginx reloads gracefully (requests in flight finish on the old
/// upstream) but asynchronously: `nginx -s reload` returns before the new workers run, so `route`
/// waits `settle` after the command before it returns, so that the caller may then stop the old set.
public struct NginxUpstreamSwitch: TrafficSwitch {
    /// The directory the upstream files go into.
    public let directory: String
    /// The program and arguments that make nginx read the files again.
    public let reloadCommand: [String]
    /// How long the reload command may take.
    public let reloadTimeout: Duration
    /// How long nginx gets after the reload command to start serving from the new file (default 2 s).
    public let settle: Duration

    public init(
        directory: String, reloadCommand: [String], reloadTimeout: Duration = .seconds(30), settle: Duration = .seconds(2)
    ) {
        self.directory = directory
        self.reloadCommand = reloadCommand
        self.reloadTimeout = reloadTimeout
        self.settle = settle
    }

    /// The reload command's timeout plus `settle`.
    public var switchBudget: Duration { reloadTimeout + settle }

    /// `DIRECTORY/ENV-SERVICE.conf`.
    public func path(for route: TrafficRoute) -> String {
        "\(directory)/\(route.environment)-\(route.service).conf"
    }

    /// `shipshape_ENV_SERVICE` (`-` becomes `_`).
    public static func upstreamName(for route: TrafficRoute) -> String {
        "shipshape_\(route.environment)_\(route.service)".replacingOccurrences(of: "-", with: "_")
    }

    /// The file's text for `endpoints`.
    public static func configuration(for route: TrafficRoute, endpoints: [TrafficEndpoint]) -> String {
        var text = "# Written by Shipshape for \(route); the next switch overwrites it.\n"
        text += "upstream \(upstreamName(for: route)) {\n"
        for endpoint in endpoints.sorted() {
            text += "    server \(endpoint) max_fails=1 fail_timeout=5s;\n"
        }
        return text + "}\n"
    }

    /// The `server` lines of the route's file; nil when there is no file yet.
    public func currentEndpoints(_ route: TrafficRoute) async throws -> [TrafficEndpoint]? {
        guard let data = FileManager.default.contents(atPath: path(for: route)) else { return nil }
        return Self.endpoints(in: String(decoding: data, as: UTF8.self))
    }

    /// The endpoints of the `server HOST:PORT …;` lines of an upstream file.
    static func endpoints(in text: String) -> [TrafficEndpoint] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 2, words[0] == "server" else { return nil }
            let address = words[1].hasSuffix(";") ? words[1].dropLast() : words[1]
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
                return nil
            }
            var host = address[..<colon]
            if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            return TrafficEndpoint(host: String(host), port: port)
        }
    }

    public func route(_ route: TrafficRoute, to endpoints: [TrafficEndpoint], logger: Logger) async throws {
        guard !endpoints.isEmpty else {
            throw TrafficSwitchError("\(route): no endpoints to switch to (the service publishes no TCP port)")
        }
        let path = path(for: route)
        let manager = FileManager.default
        let previous = manager.contents(atPath: path)
        let text = Self.configuration(for: route, endpoints: endpoints)
        if previous == Data(text.utf8) {
            logger.debug("Upstream already current", metadata: ["file": "\(path)"])
            return
        }
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrafficSwitchError("\(route): cannot write \(path): \(error)")
        }
        do {
            try await ReloadCommand.run(reloadCommand, timeout: reloadTimeout)
        } catch {
            if let previous {
                try? previous.write(to: URL(fileURLWithPath: path), options: .atomic)
            } else {
                try? manager.removeItem(atPath: path)
            }
            throw TrafficSwitchError("\(route): \(error); \(path) restored")
        }
        try await Task.sleep(for: settle)
        logger.info("Upstream switched", metadata: ["file": "\(path)", "endpoints": "\(endpoints.count)"])
    }
}

/// A traffic switch failed.
public struct TrafficSwitchError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
