import Foundation
import ShipshapeGit
import ShipshapeTesting
import Testing

@Suite("Following branches, tags and version ranges; force-push detection")
struct GitRefTests {
    @Test("a tag, and the newest tag in a semver range, resolve to their commits")
    func tagsAndRanges() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        var commits: [String: String] = [:]
        for tag in ["v1.0.0", "v1.2.0", "1.4.1", "v1.4.3", "v1.5.0-rc.1", "v2.0.0", "not-a-version"] {
            commits[tag] = try await bed.origin.commit("release \(tag)", files: ["m/version": tag])
            if tag == "v1.4.3" {
                try await bed.origin.git(["tag", "-a", tag, "-m", "annotated \(tag)"])
            } else {
                try await bed.origin.git(["tag", tag])
            }
        }
        let repository = try await bed.clone()
        let fixed = try await repository.resolve(.tag("v1.2.0"))
        #expect(fixed == ResolvedRef(name: "refs/tags/v1.2.0", revision: GitRevision(id: commits["v1.2.0"]!)))

        let caret = try await repository.resolve(.semver(try SemanticVersionRange("^1.0")))
        #expect(caret.name == "refs/tags/v1.4.3")
        #expect(caret.revision.id == commits["v1.4.3"])
        #expect(caret.version == SemanticVersion("1.4.3"))
        let tilde = try await repository.resolve(.semver(try SemanticVersionRange("~1.4")))
        #expect(tilde.name == "refs/tags/v1.4.3")
        let bounded = try await repository.resolve(.semver(try SemanticVersionRange(">=1.2.0 <1.4.2")))
        #expect(bounded.name == "refs/tags/1.4.1")
        let any = try await repository.resolve(.semver(try SemanticVersionRange("*")))
        #expect(any.name == "refs/tags/v2.0.0")
        let branch = try await repository.resolve(.branch("main"))
        #expect(branch.revision.id == commits["not-a-version"])

        let none = await #expect(throws: GitError.self) {
            try await repository.resolve(.semver(try SemanticVersionRange("^3")))
        }
        #expect(none?.code == .referenceNotFound)
        #expect(none?.description.contains("v2.0.0") == true)
        let missingTag = await #expect(throws: GitError.self) { try await repository.resolve(.tag("v9.9.9")) }
        #expect(missingTag?.code == .referenceNotFound)

        // A new tag in range is picked up by the next fetch.
        let newer = try await bed.origin.commit("release v1.9.0", files: ["m/version": "v1.9.0"])
        try await bed.origin.git(["tag", "v1.9.0"])
        let fetched = try await repository.fetch(options: GitRemoteOptions())
        #expect(fetched.updatedRefs.contains("refs/tags/v1.9.0"))
        #expect(try await repository.resolve(.semver(try SemanticVersionRange("^1.0"))).revision.id == newer)
    }

    @Test("a force-push is reported as a forced update; a fast-forward is not")
    func forcePush() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let base = try await bed.origin.commit("base", files: ["m/a.yaml": "1\n"])
        let first = try await bed.origin.commit("first", files: ["m/a.yaml": "2\n"])
        let repository = try await bed.clone()

        let second = try await bed.origin.commit("second", files: ["m/a.yaml": "3\n"])
        let forward = try await repository.fetch(options: GitRemoteOptions())
        #expect(forward.updates == [GitRefUpdate(name: "refs/remotes/origin/main", old: GitRevision(id: first), new: GitRevision(id: second), isForced: false)])
        #expect(forward.forcedUpdates.isEmpty)
        #expect(try await repository.isDescendant(GitRevision(id: second), of: GitRevision(id: first)))

        try await bed.origin.git(["reset", "--hard", "--quiet", base])
        let rewritten = try await bed.origin.commit("rewritten", files: ["m/a.yaml": "4\n"])
        let forced = try await repository.fetch(options: GitRemoteOptions())
        #expect(forced.forcedUpdates.map(\.name) == ["refs/remotes/origin/main"])
        #expect(forced.forcedUpdates.first?.old?.id == second)
        #expect(forced.forcedUpdates.first?.new?.id == rewritten)
        #expect(try await repository.resolveBranch("main").id == rewritten)
        #expect(try await !repository.isDescendant(GitRevision(id: rewritten), of: GitRevision(id: second)))

        // Deleting a branch on the remote prunes it.
        try await bed.origin.git(["branch", "feature"])
        _ = try await repository.fetch(options: GitRemoteOptions())
        try await bed.origin.git(["branch", "-D", "feature"])
        let pruned = try await repository.fetch(options: GitRemoteOptions())
        #expect(pruned.updates.contains { $0.name == "refs/remotes/origin/feature" && $0.new == nil })
        let gone = await #expect(throws: GitError.self) { try await repository.resolveBranch("feature") }
        #expect(gone?.code == .branchNotFound)
    }
}
