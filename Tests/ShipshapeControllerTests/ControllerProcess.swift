import Foundation
import ShipshapeTesting

/// The real `shipshape` executable, run as a separate process (`shipshape run --config FILE`), with
/// its JSON log lines collected in a file as they come. Unlike `RunningController` it can be killed
/// with SIGKILL, as a crash would end it.
final class ControllerProcess: Sendable {
    let process: Process
    let logPath: String

    /// The `shipshape` binary `swift build --build-tests` put beside this test bundle.
    static func executable() throws -> String {
        let bundleDirectory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        let candidates = [
            bundleDirectory.appendingPathComponent("shipshape").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/shipshape").path,
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw HarnessError(
                "the shipshape executable is missing (looked at \(candidates)); run `swift build --build-tests` first")
        }
        return found
    }

    /// Starts `shipshape run --config configPath` with JSON logs at info level into `logPath`.
    init(configPath: String, logPath: String, environment: [String: String]) throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = ["run", "--config", configPath, "--log-format", "json", "--log-level", "info"]
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.logPath = logPath
    }

    var isRunning: Bool { process.isRunning }

    /// Every JSON log line written so far, decoded (a torn last line is left out).
    func records() -> [[String: String]] {
        guard let data = FileManager.default.contents(atPath: logPath) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: String]
        }
    }

    /// The last lines of the log, for failure messages.
    func recentLog(maxBytes: Int = 6000) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "" }
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }

    /// SIGKILL, as a crash: no shutdown handler runs. Returns once the process is gone.
    func kill9() async {
        kill(process.processIdentifier, SIGKILL)
        await waitForExit()
    }

    /// SIGTERM (a graceful stop: a running cycle finishes), then SIGKILL after `grace`.
    func stop(grace: Duration = .seconds(120)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { await kill9() }
    }

    private func waitForExit() async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
