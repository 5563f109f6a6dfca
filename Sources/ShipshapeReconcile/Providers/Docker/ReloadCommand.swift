import Foundation

/// Runs a short configuration command (a load balancer reload) off the cooperative thread pool.
enum ReloadCommand {
    /// Runs `arguments[0]` (looked up in `PATH`) and waits for it; throws with its output when it
    /// exits non-zero or takes longer than `timeout` (it is then killed).
    static func run(_ arguments: [String], timeout: Duration) async throws {
        guard !arguments.isEmpty else { throw TrafficSwitchError("the reload command is empty") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let command = arguments.joined(separator: " ")
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: TrafficSwitchError("cannot run `\(command)`: \(error)"))
                return
            }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18) {
                if process.isRunning { kill(pid, SIGKILL) }
            }
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile().suffix(2000), as: UTF8.self)
        guard status == 0 else {
            throw TrafficSwitchError("`\(command)` exited with \(status): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
