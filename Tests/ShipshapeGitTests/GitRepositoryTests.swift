import Foundation
import ShipshapeGit
import ShipshapeTesting
import Testing

@Suite("GitRepository over file:// and local paths")
struct GitRepositoryTests {
    @Test("clone reads the files under a folder, recursively, without a work tree")
    func cloneAndReadFolder() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let head = try await bed.origin.commit(
            "add manifests\n\nbody line",
            files: [
                "manifests/dev.yaml": "kind: Environment\n",
                "manifests/services/api/api.yaml": "name: api\n",
                "manifests/services/db.yaml": "name: db\n",
                "README.md": "outside the folder\n",
            ])
        let repository = try await bed.clone()
        #expect(FileManager.default.fileExists(atPath: bed.clonePath + "/HEAD"))
        #expect(!FileManager.default.fileExists(atPath: bed.clonePath + "/manifests"))
        let revision = try await repository.resolveBranch("main")
        #expect(revision.id == head)
        #expect(revision.short == String(head.prefix(12)))

        let files = try await repository.files(at: revision, under: "manifests")
        #expect(files.map(\.path) == ["dev.yaml", "services/api/api.yaml", "services/db.yaml"])
        #expect(files.first?.text == "kind: Environment\n")
        #expect(files.last?.text == "name: db\n")

        let nested = try await repository.files(at: revision, under: "/manifests/services/")
        #expect(nested.map(\.path) == ["api/api.yaml", "db.yaml"])
        let everything = try await repository.files(at: revision, under: "")
        #expect(everything.count == 4)

        let info = try await repository.commit(revision)
        #expect(info.summary == "add manifests")
        #expect(info.authorName == "Shipshape Test")
        #expect(info.authorEmail == "test@shipshape.invalid")
        #expect(abs(info.time.timeIntervalSinceNow) < 600)
    }

    @Test("a new commit is fetched and becomes the branch tip; a fetch with nothing new reports no refs")
    func fetchNewCommit() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let first = try await bed.origin.commit("one", files: ["manifests/a.yaml": "a: 1\n"])
        let repository = try await bed.clone()
        #expect(try await repository.resolveBranch("main").id == first)

        let idle = try await repository.fetch(options: GitRemoteOptions())
        #expect(idle.updatedRefs.isEmpty)

        let second = try await bed.origin.commit("two", files: ["manifests/a.yaml": "a: 2\n"])
        let result = try await repository.fetch(options: GitRemoteOptions())
        #expect(result.updatedRefs == ["refs/remotes/origin/main"])
        let tip = try await repository.resolveBranch("main")
        #expect(tip.id == second)
        #expect(try await repository.files(at: tip, under: "manifests").first?.text == "a: 2\n")
        // The old commit stays readable.
        #expect(try await repository.files(at: GitRevision(id: first), under: "manifests").first?.text == "a: 1\n")

        let again = try await repository.fetch(options: GitRemoteOptions())
        #expect(again.updatedRefs.isEmpty)
        #expect(again.receivedBytes == 0)
    }

    @Test("an existing clone is reopened, not cloned again, and can be fetched")
    func reopenExistingClone() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        try await bed.origin.commit("one", files: ["m/a.yaml": "a\n"])
        _ = try await bed.clone()
        let second = try await bed.origin.commit("two", files: ["m/b.yaml": "b\n"])
        let reopened = try await bed.clone()
        let result = try await reopened.fetch(options: GitRemoteOptions())
        #expect(result.updatedRefs == ["refs/remotes/origin/main"])
        #expect(try await reopened.resolveBranch("main").id == second)
    }

    @Test("a plain local path works as the URL, and branches and tags resolve")
    func localPathAndRefs() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let first = try await bed.origin.commit("one", files: ["m/a.yaml": "a\n"])
        try await bed.origin.git(["tag", "-a", "v1.0.0", "-m", "release"])
        try await bed.origin.git(["branch", "release"])
        let second = try await bed.origin.commit("two", files: ["m/a.yaml": "b\n"])
        let repository = try await bed.clone(url: bed.origin.path)
        #expect(try await repository.resolveBranch("release").id == first)
        #expect(try await repository.resolveBranch("main").id == second)
        #expect(try await repository.resolve("refs/tags/v1.0.0").id == first)
        #expect(try await repository.resolve("v1.0.0").id == first)
        #expect(try await repository.resolve(String(second.prefix(10))).id == second)
        #expect(try await repository.resolve(second).id == second)
        let missing = await #expect(throws: GitError.self) { try await repository.resolve("refs/tags/v9") }
        #expect(missing?.code == .referenceNotFound)
    }

    @Test("a missing branch is a branchNotFound error that lists the branches")
    func missingBranch() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        try await bed.origin.commit("one", files: ["m/a.yaml": "a\n"])
        let repository = try await bed.clone()
        let error = await #expect(throws: GitError.self) { try await repository.resolveBranch("production") }
        #expect(error?.code == .branchNotFound)
        #expect(error?.description.contains("production") == true)
        #expect(error?.description.contains("main") == true)
    }

    @Test("a missing folder is pathNotFound; a file given as the folder is notADirectory")
    func missingPath() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        try await bed.origin.commit("one", files: ["manifests/a.yaml": "a\n"])
        let repository = try await bed.clone()
        let tip = try await repository.resolveBranch("main")
        let missing = await #expect(throws: GitError.self) { try await repository.files(at: tip, under: "deploy") }
        #expect(missing?.code == .pathNotFound)
        #expect(missing?.description.contains("deploy") == true)
        let file = await #expect(throws: GitError.self) {
            try await repository.files(at: tip, under: "manifests/a.yaml")
        }
        #expect(file?.code == .notADirectory)
        let unknown = await #expect(throws: GitError.self) {
            try await repository.files(at: GitRevision(id: String(repeating: "ab", count: 20)), under: "manifests")
        }
        #expect(unknown?.code == .referenceNotFound)
    }

    @Test("an unreachable remote is remoteUnreachable and leaves no partial clone")
    func unreachableRemote() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-git")
        defer { directory.remove() }
        let path = directory.appending("state/config.git")
        let error = await #expect(throws: GitError.self) {
            try await GitRepository.openOrClone(
                url: "file://\(directory.path)/does-not-exist", at: path, options: GitRemoteOptions(),
                logger: testLogger())
        }
        #expect(error?.code == .remoteUnreachable)
        #expect(error?.description.contains("does-not-exist") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appending("state"))
        #expect(leftovers.isEmpty)
    }

    @Test("a refused HTTPS connection is remoteUnreachable and the token never shows")
    func unreachableHTTPHidesCredentials() async throws {
        let directory = try TemporaryDirectory(prefix: "shipshape-git")
        defer { directory.remove() }
        let port = try LoopbackPort.free()
        let error = await #expect(throws: GitError.self) {
            try await GitRepository.openOrClone(
                url: "https://deploy:s3cr3t-token@127.0.0.1:\(port)/config.git",
                at: directory.appending("clone.git"), options: GitRemoteOptions(), logger: testLogger())
        }
        #expect(error?.code == .remoteUnreachable, "\(String(describing: error))")
        #expect(error?.description.contains("s3cr3t") == false)
        #expect(error?.description.contains("deploy") == false)
        #expect(error?.description.contains("https://127.0.0.1:\(port)/config.git") == true)
    }
}
