import ShipshapeGit
import ShipshapeTesting
import Testing

/// Commit messages, their trailers, and bounded walks over a range of history.
@Suite("Commit history and trailers")
struct CommitHistoryTests {
    @Test("trailers are the last paragraph's Key: value lines; anything else is not a trailer block")
    func trailers() {
        let message = """
            Approve the prune of the worker

            Reviewed in #42: the worker moved to ECS.

            Approve-Plan: plan-0123456789ab
            Signed-off-by: Ada <ada@example.com>
              continued
            """
        #expect(
            CommitTrailer.parse(message) == [
                CommitTrailer(key: "Approve-Plan", value: "plan-0123456789ab"),
                CommitTrailer(key: "Signed-off-by", value: "Ada <ada@example.com> continued"),
            ])
        // A subject alone, prose in the last paragraph, a key with spaces: no trailers.
        #expect(CommitTrailer.parse("Approve-Plan: plan-0123456789ab").isEmpty)
        #expect(CommitTrailer.parse("subject\n\nApprove-Plan: plan-0123456789ab\nand some prose").isEmpty)
        #expect(CommitTrailer.parse("subject\n\nApprove Plan: plan-0123456789ab").isEmpty)
        #expect(CommitTrailer.parse("subject\n\n  indented first: x").isEmpty)
        // Trailing blank lines and CRLF are fine.
        #expect(CommitTrailer.parse("subject\r\n\r\nApprove-Plan: plan-0123456789ab\r\n\n\n").map(\.value) == ["plan-0123456789ab"])
        #expect(CommitTrailer.parse("").isEmpty)
    }

    @Test("commits(from:excluding:limit:) lists the new commits newest first, with their messages, bounded")
    func range() async throws {
        let bed = try await GitTestBed.make()
        defer { bed.directory.remove() }
        let base = try await bed.origin.commit("base", files: ["m/a.yaml": "1\n"])
        let first = try await bed.origin.commit("first\n\nApprove-Plan: plan-aaaaaaaaaaaa", files: ["m/a.yaml": "2\n"])
        let second = try await bed.origin.commit("second", files: ["m/a.yaml": "3\n"])
        let repository = try await bed.clone()
        let tip = try await repository.resolveBranch("main")
        #expect(tip.id == second)

        let new = try await repository.commits(from: tip, excluding: GitRevision(id: base), limit: 100)
        #expect(new.map(\.revision.id) == [second, first])
        #expect(new.last?.trailers == [CommitTrailer(key: "Approve-Plan", value: "plan-aaaaaaaaaaaa")])
        #expect(new.last?.summary == "first")
        #expect(try await repository.commits(from: tip, excluding: nil, limit: 1).map(\.revision.id) == [second])
        #expect(try await repository.commits(from: tip, excluding: nil, limit: 100).count == 3)
        #expect(try await repository.commits(from: tip, excluding: tip, limit: 100).isEmpty)
        // An excluded commit the clone does not have (history rewritten away): the walk is still bounded.
        let unknown = GitRevision(id: String(repeating: "1", count: 40))
        #expect(try await repository.commits(from: tip, excluding: unknown, limit: 2).count == 2)
    }
}
