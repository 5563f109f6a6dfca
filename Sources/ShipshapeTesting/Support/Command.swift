import Foundation

/// Runs a program to completion without blocking a thread of the cooperative pool.
///
/// Tests use it to drive real tools (`git`, `docker`, `ssh-keygen`, `promtool`, …). Output is
/// captured in full; a non-zero exit status is an error unless `check` is false.
public enum Command {
    /// The captured result of a finished program.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// A program that exited with a non-zero status.
    public struct Failure: Error, CustomStringConvertible {
        public var command: String
        public var output: Output
        public var description: String {
            "`\(command)` exited with \(output.status): \(output.stderr.isEmpty ? output.stdout : output.stderr)"
        }
    }

    /// Runs `arguments[0]` (looked up in `PATH` when it has no slash) with the remaining arguments.
    @discardableResult
    public static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        currentDirectory: String? = nil,
        input: Data? = nil,
        check: Bool = true
    ) async throws -> Output {
        precondition(!arguments.isEmpty, "Command.run needs a program")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }

        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let stdinPipe = Pipe()
        process.standardInput = stdinPipe

        let output: Output = try await withCheckedThrowingContinuation { continuation in
            // Reading both pipes on dedicated threads keeps a chatty program from blocking on a full
            // pipe, without tying up Dispatch's small global pool (2 threads on these machines),
            // which other tests and libraries need.
            let group = DispatchGroup()
            nonisolated(unsafe) var outData = Data()
            nonisolated(unsafe) var errData = Data()
            group.enter()
            Thread {
                outData = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }.start()
            group.enter()
            Thread {
                errData = stderrPipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }.start()
            process.terminationHandler = { finished in
                group.notify(queue: .global()) {
                    continuation.resume(
                        returning: Output(
                            status: finished.terminationStatus,
                            stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self)
                        )
                    )
                }
            }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
                return
            }
            if let input { stdinPipe.fileHandleForWriting.write(input) }
            try? stdinPipe.fileHandleForWriting.close()
        }
        if check && output.status != 0 {
            throw Failure(command: arguments.joined(separator: " "), output: output)
        }
        return output
    }
}
