import Foundation

/// Builds a large config repository quickly with `git fast-import`, for benchmarks: `files`
/// manifests spread over environments and services folders in the first commit, then
/// `commits - 1` commits that each change one file (round-robin), like a busy GitOps repository.
public enum LargeRepositoryGenerator {
    /// The path of the n-th file: `manifests/env-07/services/svc-0123/deployment.yaml`.
    public static func filePath(_ index: Int, files: Int) -> String {
        let environments = max(1, files / 250)
        return String(format: "manifests/env-%02d/services/svc-%04d/deployment.yaml", index % environments, index)
    }

    /// Creates a non-bare repository at `path` with `commits` commits and `files` files on `branch`.
    @discardableResult
    public static func generate(at path: String, commits: Int = 20_000, files: Int = 5_000, branch: String = "main") async throws
        -> GitWorkRepository
    {
        precondition(commits >= 1 && files >= 1)
        let repository = try await GitWorkRepository.create(at: path, branch: branch)
        let streamPath = "\(path).fast-import"
        _ = FileManager.default.createFile(atPath: streamPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: streamPath))
        var buffer = Data()
        func emit(_ text: String) throws {
            buffer.append(contentsOf: text.utf8)
            if buffer.count > 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        func data(_ text: String) -> String { "data \(text.utf8.count)\n\(text)\n" }
        func manifest(_ index: Int, revision: Int) -> String {
            """
            apiVersion: shipshape.io/v1
            kind: Service
            metadata: { name: svc-\(index) }
            spec:
              image: 127.0.0.1:5000/svc-\(index):1.\(revision).0
              replicas: \(1 + index % 3)
              env: { REVISION: "\(revision)" }

            """
        }
        let start = 1_700_000_000
        try emit("commit refs/heads/\(branch)\ncommitter Bench <bench@shipshape.invalid> \(start) +0000\n")
        try emit(data("initial: \(files) manifests"))
        for index in 0..<files {
            try emit("M 100644 inline \(filePath(index, files: files))\n" + data(manifest(index, revision: 0)))
        }
        try emit("\n")
        for number in 1..<commits {
            let index = number % files
            try emit("commit refs/heads/\(branch)\ncommitter Bench <bench@shipshape.invalid> \(start + number) +0000\n")
            try emit(data("bump svc-\(index) to revision \(number)"))
            try emit("M 100644 inline \(filePath(index, files: files))\n" + data(manifest(index, revision: number)))
            try emit("\n")
        }
        try handle.write(contentsOf: buffer)
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: streamPath) }
        try await GitToolRunner.run(
            ["sh", "-c", "git -C \"$0\" fast-import --quiet < \"$1\" && git -C \"$0\" reset --quiet --hard", path, streamPath],
            environment: GitWorkRepository.environment)
        return repository
    }
}
