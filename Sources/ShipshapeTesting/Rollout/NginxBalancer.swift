import Foundation

/// A real nginx (Debian's `nginx`) on a free 127.0.0.1 port, balancing HTTP over loopback ports, for
/// zero-downtime tests.
///
/// Two modes: `start(ports:)` balances a fixed list of ports (a rolling update behind a load balancer);
/// `start(includingUpstream:)` proxies to a named upstream defined in `upstreamDirectory/*.conf`, the
/// files a blue/green traffic switch writes (a placeholder pointing at a closed port is written
/// first, so nginx starts). Failed or refused upstream connections are retried on the next server
/// (`proxy_next_upstream error timeout http_502 http_503 http_504`), and servers are never marked
/// down, so a replica being replaced costs a retry, not a failed request. `stop()` ends nginx and
/// deletes its directory.
public final class NginxBalancer: Sendable {
    /// The port on 127.0.0.1 nginx listens on.
    public let port: Int
    /// Where upstream files go (include mode).
    public let upstreamDirectory: String
    /// The command that makes this nginx reread its configuration.
    public let reloadCommand: [String]
    private let process: BackgroundProcess
    private let directory: TemporaryDirectory

    private init(port: Int, upstreamDirectory: String, reloadCommand: [String], process: BackgroundProcess, directory: TemporaryDirectory) {
        self.port = port
        self.upstreamDirectory = upstreamDirectory
        self.reloadCommand = reloadCommand
        self.process = process
        self.directory = directory
    }

    /// Balances round-robin over `127.0.0.1:PORT` for each of `ports`.
    public static func start(ports: [Int]) async throws -> NginxBalancer {
        let servers = ports.map { "        server 127.0.0.1:\($0) max_fails=0;" }.joined(separator: "\n")
        return try await start(upstreamName: "backends", inline: "    upstream backends {\n\(servers)\n    }\n", placeholder: nil)
    }

    /// Proxies to upstream `name`, defined by a file in `upstreamDirectory` (e.g. one
    /// `NginxUpstreamSwitch` writes as `ENV-SERVICE.conf`; `fileName` is that file's name, for the
    /// placeholder).
    public static func start(includingUpstream name: String, fileName: String) async throws -> NginxBalancer {
        try await start(upstreamName: name, inline: "", placeholder: (fileName, name))
    }

    private static func start(upstreamName: String, inline: String, placeholder: (file: String, name: String)?) async throws
        -> NginxBalancer
    {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") else {
            throw HarnessError("nginx is missing: apt-get install -y nginx-light (or nginx)")
        }
        let directory = try TemporaryDirectory(prefix: "shipshape-nginx")
        do {
            let upstreams = directory.appending("upstreams")
            try FileManager.default.createDirectory(atPath: upstreams, withIntermediateDirectories: true)
            if let placeholder {
                let closed = try LoopbackPort.free()
                _ = try directory.write(
                    "upstream \(placeholder.name) {\n    server 127.0.0.1:\(closed);\n}\n", to: "upstreams/\(placeholder.file)")
            }
            for temp in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
                try FileManager.default.createDirectory(atPath: directory.appending("tmp/\(temp)"), withIntermediateDirectories: true)
            }
            var lastError: (any Error)?
            for attempt in 1...3 {
                let port = try LoopbackPort.free()
                let prefix = directory.path
                let config = try directory.write(
                    """
                    \(getuid() == 0 ? "user root;" : "")
                    worker_processes 1;
                    daemon off;
                    pid \(prefix)/nginx.pid;
                    error_log \(prefix)/error.log warn;
                    events { worker_connections 512; }
                    http {
                        access_log off;
                        client_body_temp_path \(prefix)/tmp/body;
                        proxy_temp_path \(prefix)/tmp/proxy;
                        fastcgi_temp_path \(prefix)/tmp/fastcgi;
                        uwsgi_temp_path \(prefix)/tmp/uwsgi;
                        scgi_temp_path \(prefix)/tmp/scgi;
                        include \(upstreams)/*.conf;
                    \(inline)
                        server {
                            listen 127.0.0.1:\(port);
                            location / {
                                proxy_pass http://\(upstreamName);
                                proxy_next_upstream error timeout http_502 http_503 http_504;
                                proxy_next_upstream_tries 0;
                                proxy_connect_timeout 1s;
                                proxy_read_timeout 5s;
                            }
                        }
                    }

                    """, to: "nginx-\(attempt).conf")
                let process = try BackgroundProcess(
                    name: "nginx-\(attempt)", ["nginx", "-p", prefix, "-c", config], logDirectory: prefix)
                let deadline = ContinuousClock.now + .seconds(60)
                while ContinuousClock.now < deadline && process.isRunning && !LoopbackPort.isOpen(port) {
                    try await Task.sleep(for: .milliseconds(50))
                }
                if LoopbackPort.isOpen(port) && process.isRunning {
                    return NginxBalancer(
                        port: port, upstreamDirectory: upstreams,
                        reloadCommand: ["nginx", "-p", prefix, "-c", config, "-s", "reload"],
                        process: process, directory: directory)
                }
                lastError = HarnessError(
                    "nginx did not listen on 127.0.0.1:\(port): \(process.recentOutput()) \((try? String(contentsOfFile: "\(prefix)/error.log", encoding: .utf8)) ?? "")"
                )
                await process.stop()
            }
            throw lastError ?? HarnessError("nginx did not start")
        } catch {
            directory.remove()
            throw error
        }
    }

    /// nginx's error log, for failure messages.
    public func errorLog() -> String {
        let text = (try? String(contentsOfFile: directory.appending("error.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(4000))
    }

    /// Stops nginx and deletes its directory.
    public func stop() async {
        await process.stop()
        directory.remove()
    }
}
