import Foundation

/// Runs the short-lived tools of the Git harness (`git`, `openssl`, `ssh-keygen`, `gpg`) with
/// their output captured in files instead of pipes.
///
/// Unlike `Command.run` (Foundation's `Process`, whose reaping was seen to stall while
/// long-running servers were alive), the process is started with `posix_spawn`, writes to files,
/// and a dedicated thread waits for it: nothing blocks a shared thread.
public enum GitToolRunner {
    /// A finished tool.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `arguments[0]` (looked up in `PATH`) and returns its output; throws a `HarnessError`
    /// with the command and its standard error on a non-zero exit unless `check` is false.
    @discardableResult
    public static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        currentDirectory: String? = nil,
        check: Bool = true
    ) async throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shipshape-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("stdout").path
        let errPath = folder.appendingPathComponent("stderr").path
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let status = try await spawnAndWait(
            arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
            currentDirectory: currentDirectory, stdout: outPath, stderr: errPath)
        let output = Output(
            status: status,
            stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
        if check && status != 0 {
            throw HarnessError("`\(arguments.joined(separator: " "))` exited with \(status): \(output.stderr.isEmpty ? output.stdout : output.stderr)")
        }
        return output
    }

    /// Spawns `/usr/bin/env arguments…` with output redirected to files and waits on its own thread.
    private static func spawnAndWait(
        _ arguments: [String], environment: [String: String], currentDirectory: String?, stdout: String, stderr: String
    ) async throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_TRUNC, 0o600)
        var command = ["/usr/bin/env"] + arguments
        if let currentDirectory {
            command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", currentDirectory] + command
        }
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw HarnessError("could not start \(arguments.joined(separator: " ")): \(String(cString: strerror(spawned)))")
        }
        let child = pid
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS, spelled out (the macros do not import).
                let exited = status & 0x7f == 0
                continuation.resume(returning: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
            }
            thread.start()
        }
    }
}
