import Foundation
import ShipshapeGit
import ShipshapeTesting
import Testing

/// Measurements on a large repository (20,000 commits, 5,000 files). Not a timed test: it prints
/// numbers and checks only correctness. Opt in with `SHIPSHAPE_GIT_BENCHMARK=1`; it takes about a
/// minute on 2 cores.
@Suite(
    "Large repository benchmark",
    .enabled(if: ProcessInfo.processInfo.environment["SHIPSHAPE_GIT_BENCHMARK"] == "1", "set SHIPSHAPE_GIT_BENCHMARK=1 to run"))
struct GitBenchmarkTests {
    static func residentMemoryKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
    }

    static func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }

    @Test("clone, no-change poll, incremental fetch and folder read on 20,000 commits × 5,000 files")
    func largeRepository() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-git-bench")
        defer { directory.remove() }
        let clock = ContinuousClock()
        let commits = Int(ProcessInfo.processInfo.environment["SHIPSHAPE_GIT_BENCHMARK_COMMITS"] ?? "") ?? 20_000
        let files = Int(ProcessInfo.processInfo.environment["SHIPSHAPE_GIT_BENCHMARK_FILES"] ?? "") ?? 5_000
        var report: [String] = []

        var origin: GitWorkRepository!
        let generation = try await clock.measure {
            origin = try await LargeRepositoryGenerator.generate(at: directory.appending("origin"), commits: commits, files: files)
        }
        report.append("generate \(commits) commits × \(files) files (git fast-import): \(Self.milliseconds(generation))")
        #expect(try await origin.git(["rev-list", "--count", "HEAD"]) == String(commits))

        let serverFolder = directory.appending("server")
        try FileManager.default.createDirectory(atPath: serverFolder, withIntermediateDirectories: true)
        let token = "bench-\(UInt64.random(in: 0...UInt64.max))"
        let server = try await GitHTTPServer.start(projectRoot: directory.path, token: token, directory: serverFolder)
        let sshFolder = directory.appending("ssh")
        try FileManager.default.createDirectory(atPath: sshFolder, withIntermediateDirectories: true)
        let ssh = try await GitSSHServer.start(directory: sshFolder)
        do {
            try await measure(origin: origin, server: server, ssh: ssh, directory: directory, files: files, report: &report)
        } catch {
            await server.stop()
            await ssh.stop()
            throw error
        }
        await server.stop()
        await ssh.stop()
        print("GIT BENCHMARK\n" + report.joined(separator: "\n"))
    }

    func measure(
        origin: GitWorkRepository, server: GitHTTPServer, ssh: GitSSHServer, directory: TemporaryDirectory, files: Int, report: inout [String]
    ) async throws {
        let clock = ContinuousClock()
        let token = try String(contentsOfFile: directory.appending("server/htpasswd"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "{PLAIN}").last ?? ""
        let tokenFile = try directory.write(token, to: "token", mode: 0o600)
        let remotes: [(String, String, GitRemoteOptions)] = [
            ("https", server.url("origin"), GitRemoteOptions(credentials: .token(file: tokenFile, username: "git"), caFile: server.authority.caFile)),
            ("ssh", ssh.url(path: origin.path), GitRemoteOptions(credentials: .sshKey(privateKeyFile: ssh.deployKeyFile), knownHostsFile: ssh.knownHostsFile)),
            ("file://", origin.fileURL, GitRemoteOptions()),
        ]
        for (name, url, options) in remotes {
            let rssBefore = Self.residentMemoryKiB()
            var repository: GitRepository!
            let clone = try await clock.measure {
                repository = try await GitRepository.openOrClone(
                    url: url, at: directory.appending("clone-\(name.filter(\.isLetter))"), options: options, logger: testLogger())
            }
            let rssAfter = Self.residentMemoryKiB()
            report.append("[\(name)] clone: \(Self.milliseconds(clone)); test process RSS \(rssBefore / 1024) MiB → \(rssAfter / 1024) MiB")

            var polls: [Duration] = []
            for _ in 0..<20 {
                var result: GitFetchResult!
                polls.append(try await clock.measure { result = try await repository.fetch(options: options) })
                #expect(result.updatedRefs.isEmpty)
                #expect(result.receivedBytes == 0)
            }
            report.append("[\(name)] no-change poll (fetch, 20 runs): median \(Self.milliseconds(Self.median(polls))), max \(Self.milliseconds(polls.max()!))")

            var fetches: [Duration] = []
            var received: [Int] = []
            for round in 0..<5 {
                let id = try await origin.commit("bench \(name) \(round)", files: [LargeRepositoryGenerator.filePath(round, files: files): "changed: \(round)\n"])
                var result: GitFetchResult!
                fetches.append(try await clock.measure { result = try await repository.fetch(options: options) })
                received.append(result.receivedBytes)
                #expect(try await repository.resolveBranch("main").id == id)
            }
            report.append("[\(name)] fetch of one new commit (5 runs): median \(Self.milliseconds(Self.median(fetches))), max \(Self.milliseconds(fetches.max()!)), received bytes \(received)")

            let tip = try await repository.resolveBranch("main")
            var folder: [GitFile] = []
            let read = try await clock.measure { folder = try await repository.files(at: tip, under: "manifests/env-00") }
            var all: [GitFile] = []
            let readAll = try await clock.measure { all = try await repository.files(at: tip, under: "manifests") }
            #expect(all.count == files)
            report.append("[\(name)] read one environment (\(folder.count) files): \(Self.milliseconds(read)); all \(all.count) files: \(Self.milliseconds(readAll)); RSS now \(Self.residentMemoryKiB() / 1024) MiB")
        }
    }
}
