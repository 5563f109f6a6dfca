import Foundation

/// A non-bare repository made with the `git` CLI in a test's temporary folder: the "remote" that
/// the code under test clones (over `file://`, or served by ``GitHTTPServer`` / ``GitSSHServer``).
public struct GitWorkRepository: Sendable {
    /// The repository's work tree.
    public let path: String
    /// The branch it was created with.
    public let branch: String

    /// `file://` URL of the repository.
    public var fileURL: String { "file://\(path)" }

    /// Identity and settings passed to every `git` invocation, independent of the machine's config.
    static let environment: [String: String] = [
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Shipshape Test",
        "GIT_AUTHOR_EMAIL": "test@shipshape.invalid",
        "GIT_COMMITTER_NAME": "Shipshape Test",
        "GIT_COMMITTER_EMAIL": "test@shipshape.invalid",
        "GIT_TERMINAL_PROMPT": "0",
    ]

    /// Creates an empty repository at `path` with `branch` as its initial branch.
    public static func create(at path: String, branch: String = "main") async throws -> GitWorkRepository {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try await GitToolRunner.run(["git", "init", "--quiet", "--initial-branch", branch, path], environment: environment)
        return GitWorkRepository(path: path, branch: branch)
    }

    /// Runs `git` with `arguments` in the repository and returns its standard output, trimmed.
    @discardableResult
    public func git(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> String {
        let output = try await GitToolRunner.run(
            ["git", "-C", path] + arguments,
            environment: Self.environment.merging(extra) { _, new in new })
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `files` (path relative to the work tree → contents), stages everything and commits.
    /// Returns the new commit's full id.
    @discardableResult
    public func commit(_ message: String, files: [String: String] = [:], removing: [String] = [], extraArguments: [String] = [])
        async throws -> String
    {
        for (relative, contents) in files {
            let file = "\(path)/\(relative)"
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: URL(fileURLWithPath: file))
        }
        for relative in removing {
            try await git(["rm", "-r", "--quiet", relative])
        }
        try await git(["add", "--all"])
        try await git(["commit", "--quiet", "--allow-empty", "-m", message] + extraArguments)
        return try await head()
    }

    /// The full id of `HEAD`.
    public func head() async throws -> String {
        try await git(["rev-parse", "HEAD"])
    }
}
