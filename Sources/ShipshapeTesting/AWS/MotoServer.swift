import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// moto's standalone server (`moto_server -H 127.0.0.1 -p PORT`) on a free loopback port, for one
/// test or suite. Every AWS service answers on the same port; `reset()` clears all state.
///
/// Fails with a clear `HarnessError` when moto is not installed (`pip install 'moto[server]'`).
public final class MotoServer: Sendable {
    public let port: Int
    public let process: BackgroundProcess
    public let logDirectory: TemporaryDirectory
    /// Dummy credentials moto accepts while signature checking is off.
    public static let dummyAccessKeyID = "AKIDSHIPSHAPETEST"
    public static let dummySecretAccessKey = "shipshape-test-secret-not-real"
    public let region: String

    /// `http://127.0.0.1:PORT`.
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    private init(port: Int, process: BackgroundProcess, logDirectory: TemporaryDirectory, region: String) {
        self.port = port
        self.process = process
        self.logDirectory = logDirectory
        self.region = region
    }

    /// Starts moto and waits until it answers. `environment` adds variables such as
    /// `MOTO_ECS_SERVICE_RUNNING`.
    public static func start(region: String = "us-east-1", environment: [String: String] = [:]) async throws -> MotoServer {
        let which = try await Command.run(["which", "moto_server"], check: false)
        guard which.status == 0 else {
            throw HarnessError("moto_server is not installed: run `pip install 'moto[server]'` (moto 5.2.1 is what the tests were written against)")
        }
        let python = "python3"
        let importable = try await Command.run([python, "-c", "import moto.server"], check: false)
        guard importable.status == 0 else {
            throw HarnessError(
                "moto_server exists but `python3 -c 'import moto.server'` fails (\(importable.stderr.suffix(300))): install moto for python3 with `pip install 'moto[server]'`"
            )
        }
        let logs = try TemporaryDirectory(prefix: "shipshape-moto")
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try LoopbackPort.free()
            let process = try BackgroundProcess(
                name: "moto-\(port)", [python, "-c", watchdogLauncher, "-H", "127.0.0.1", "-p", String(port)],
                environment: environment, logDirectory: logs.path)
            do {
                try await LoopbackPort.waitUntilOpen(port, timeout: .seconds(60), what: "moto_server")
                let server = MotoServer(port: port, process: process, logDirectory: logs, region: region)
                try await server.reset()
                return server
            } catch {
                lastError = HarnessError("moto_server on port \(port) did not start: \(error)\n\(process.recentOutput())")
                await process.stop()
            }
        }
        throw lastError ?? HarnessError("moto_server did not start")
    }

    /// Runs `moto.server.main` (what `moto_server` runs) with a thread that ends the server when its
    /// parent — the test process — goes away, so a crashed test run leaves no moto behind.
    static let watchdogLauncher = """
        import os, sys, threading, time
        parent = os.getppid()
        def watch():
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
        from moto.server import main
        main(sys.argv[1:])
        """

    /// Stops moto and removes its log directory.
    public func stop() async {
        await process.stop()
        logDirectory.remove()
    }

    /// Clears every service's state (`POST /moto-api/reset`).
    public func reset() async throws {
        try await post("/moto-api/reset", body: "")
    }

    /// Turns real SigV4 and IAM checking on (`POST /moto-api/reset-auth` with `0`) or off (`inf`).
    /// Create the IAM user and key you mean to use *before* turning it on.
    public func setAuthentication(enabled: Bool) async throws {
        try await post("/moto-api/reset-auth", body: enabled ? "0" : "inf")
    }

    /// Environment for awscli/boto3 aimed at this moto: endpoint, region, dummy keys.
    public var clientEnvironment: [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint.absoluteString, "AWS_DEFAULT_REGION": region, "AWS_REGION": region,
            "AWS_ACCESS_KEY_ID": Self.dummyAccessKeyID, "AWS_SECRET_ACCESS_KEY": Self.dummySecretAccessKey,
            "AWS_PAGER": "", "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    /// Runs the AWS CLI against moto (`aws ec2 describe-vpcs …`) and returns its stdout. Use it to
    /// change things behind the controller's back.
    @discardableResult
    public func aws(_ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        var env = clientEnvironment
        env.merge(environment) { _, new in new }
        // `--endpoint-url` as well as AWS_ENDPOINT_URL: awscli 1.x ignores the variable for some services (rds).
        return try await Command.run(
            ["aws", "--output", "json", "--endpoint-url", endpoint.absoluteString] + arguments, environment: env
        ).stdout
    }

    /// Runs a Python script with boto3 against moto (the same environment as `aws`); returns stdout.
    @discardableResult
    public func python(_ script: String, environment: [String: String] = [:]) async throws -> String {
        var env = clientEnvironment
        env.merge(environment) { _, new in new }
        return try await Command.run(["python3", "-c", script], environment: env).stdout
    }

    /// Runs the AWS CLI and decodes its JSON output.
    public func awsJSON(_ arguments: [String]) async throws -> Any {
        let output = try await aws(arguments)
        return try JSONSerialization.jsonObject(with: Data(output.utf8), options: [.fragmentsAllowed])
    }

    private func post(_ path: String, body: String) async throws {
        var request = HTTPClientRequest(url: "\(endpoint.absoluteString)\(path)")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code < 300 else {
            throw HarnessError("moto \(path) answered HTTP \(response.status.code)")
        }
    }
}
