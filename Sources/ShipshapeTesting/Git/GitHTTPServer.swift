import Foundation

/// A smart-HTTP(S) Git server for tests: nginx (TLS, HTTP basic authentication) in front of
/// fcgiwrap running `git http-backend`, on a random loopback port, serving every repository below
/// `projectRoot`. The user name is `git`; the password is the token.
public final class GitHTTPServer: Sendable {
    /// `https://127.0.0.1:PORT` (no trailing slash).
    public let baseURL: String
    public let port: Int
    /// The CA that signed the server's certificate.
    public let authority: TestCertificateAuthority
    private let nginx: BackgroundProcess
    private let fcgiwrap: BackgroundProcess

    /// Starts the servers; files go to `directory`. Fails with a `HarnessError` naming the missing
    /// program (Debian: `apt-get install nginx fcgiwrap git openssl`).
    public static func start(projectRoot: String, token: String, directory: String) async throws -> GitHTTPServer {
        for program in ["/usr/sbin/nginx", "/usr/sbin/fcgiwrap", "/usr/lib/git-core/git-http-backend", "/usr/bin/openssl"]
        where !FileManager.default.isExecutableFile(atPath: program) {
            throw HarnessError("\(program) is missing: install nginx, fcgiwrap, git and openssl (apt-get install nginx fcgiwrap git openssl)")
        }
        let authority = try await TestCertificateAuthority.make(in: directory, name: "https")
        let port = try LoopbackPort.free()
        let socket = "\(directory)/fcgiwrap.sock"
        for folder in ["nginx-temp", "nginx-logs"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true)
        }
        try Data("git:{PLAIN}\(token)\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/htpasswd"))
        let temp = "\(directory)/nginx-temp"
        let config = """
            worker_processes 1;
            daemon off;
            user root;
            pid \(directory)/nginx.pid;
            error_log \(directory)/nginx-logs/error.log info;
            events { worker_connections 64; }
            http {
                access_log \(directory)/nginx-logs/access.log;
                client_body_temp_path \(temp)/body;
                fastcgi_temp_path \(temp)/fastcgi;
                proxy_temp_path \(temp)/proxy;
                uwsgi_temp_path \(temp)/uwsgi;
                scgi_temp_path \(temp)/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    ssl_certificate \(authority.serverCertificateFile);
                    ssl_certificate_key \(authority.serverKeyFile);
                    location / {
                        auth_basic "git";
                        auth_basic_user_file \(directory)/htpasswd;
                        include /etc/nginx/fastcgi_params;
                        fastcgi_pass unix:\(socket);
                        fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
                        fastcgi_param GIT_PROJECT_ROOT \(projectRoot);
                        fastcgi_param GIT_HTTP_EXPORT_ALL "";
                        fastcgi_param PATH_INFO $uri;
                        fastcgi_param REMOTE_USER $remote_user;
                    }
                }
            }
            """
        let configFile = "\(directory)/nginx.conf"
        try Data(config.utf8).write(to: URL(fileURLWithPath: configFile))
        let fcgiwrap = try BackgroundProcess(
            name: "fcgiwrap", ["/usr/sbin/fcgiwrap", "-s", "unix:\(socket)"], logDirectory: directory)
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: socket) {
            guard ContinuousClock.now < deadline, fcgiwrap.isRunning else {
                await fcgiwrap.stop(grace: .milliseconds(100))
                throw HarnessError("fcgiwrap did not create its socket \(socket): \(fcgiwrap.recentOutput())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let nginx: BackgroundProcess
        do {
            nginx = try BackgroundProcess(
                name: "nginx", ["/usr/sbin/nginx", "-e", "\(directory)/nginx-logs/startup.log", "-p", directory, "-c", configFile],
                logDirectory: directory)
            try await LoopbackPort.waitUntilOpen(port, timeout: .seconds(60), what: "nginx")
        } catch {
            await fcgiwrap.stop(grace: .milliseconds(100))
            throw error
        }
        return GitHTTPServer(port: port, authority: authority, nginx: nginx, fcgiwrap: fcgiwrap)
    }

    private init(port: Int, authority: TestCertificateAuthority, nginx: BackgroundProcess, fcgiwrap: BackgroundProcess) {
        self.port = port
        self.baseURL = "https://127.0.0.1:\(port)"
        self.authority = authority
        self.nginx = nginx
        self.fcgiwrap = fcgiwrap
    }

    /// The URL of the repository at `relativePath` below the project root.
    public func url(_ relativePath: String) -> String { "\(baseURL)/\(relativePath)" }

    /// Stops nginx and fcgiwrap.
    public func stop() async {
        await nginx.stop()
        // fcgiwrap ignores SIGTERM while it waits for a connection.
        await fcgiwrap.stop(grace: .milliseconds(100))
    }
}
