import CLibGit2

extension GitRepository {
    /// Resolves a branch of origin (`refs/remotes/origin/<branch>`) to a commit, as of the last fetch.
    public func resolveBranch(_ branch: String) async throws -> GitRevision {
        let handle = handle
        let remote = sanitizedURL
        return try await queue.run {
            let name = "refs/remotes/origin/\(branch)"
            var valid: Int32 = 0
            guard !branch.isEmpty, git_reference_name_is_valid(&valid, name) == 0, valid == 1 else {
                throw GitError(.invalidArgument, "'\(branch)' is not a valid branch name")
            }
            var oid = git_oid()
            let result = git_reference_name_to_id(&oid, handle.pointer, name)
            if result == GIT_ENOTFOUND.rawValue {
                let known = Self.remoteBranches(handle.pointer)
                let list = known.isEmpty ? "none" : known.prefix(20).joined(separator: ", ")
                throw GitError(
                    .branchNotFound,
                    "branch '\(branch)' does not exist in \(remote) (branches: \(list)). "
                        + "Check the branch in the configuration, or push it")
            }
            try LibGit2.check(result, "resolving branch '\(branch)' of \(remote)")
            return try Self.peelToCommit(handle.pointer, oid: oid, what: "branch '\(branch)'")
        }
    }

    /// Resolves any ref name or revision string (`refs/tags/v1`, `v1`, a full or short id) to a commit.
    /// Annotated tags are peeled to the commit they point at.
    public func resolve(_ ref: String) async throws -> GitRevision {
        let handle = handle
        let remote = sanitizedURL
        return try await queue.run {
            var object: OpaquePointer?
            let result = git_revparse_single(&object, handle.pointer, ref)
            switch result {
            case GIT_ENOTFOUND.rawValue:
                throw GitError(.referenceNotFound, "'\(ref)' does not name a ref or commit in \(remote)")
            case GIT_EAMBIGUOUS.rawValue:
                throw GitError(.referenceNotFound, "'\(ref)' is ambiguous in \(remote): use a longer id or a full ref name")
            case GIT_EINVALIDSPEC.rawValue:
                throw GitError(.invalidArgument, "'\(ref)' is not a valid revision")
            default:
                try LibGit2.check(result, "resolving '\(ref)' in \(remote)")
            }
            defer { git_object_free(object) }
            var commit: OpaquePointer?
            let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
            if peeled < 0 {
                throw GitError(.referenceNotFound, "'\(ref)' in \(remote) does not point at a commit")
            }
            defer { git_object_free(commit) }
            return GitRevision(id: LibGit2.hex(git_object_id(commit)))
        }
    }

    /// The names of origin's branches in the local clone, sorted. Runs on the queue.
    static func remoteBranches(_ repository: OpaquePointer) -> [String] {
        var iterator: OpaquePointer?
        guard git_branch_iterator_new(&iterator, repository, GIT_BRANCH_REMOTE) == 0 else { return [] }
        defer { git_branch_iterator_free(iterator) }
        var names: [String] = []
        var reference: OpaquePointer?
        var type = GIT_BRANCH_REMOTE
        while git_branch_next(&reference, &type, iterator) == 0 {
            if let name = git_reference_name(reference) {
                let full = String(cString: name)
                let prefix = "refs/remotes/origin/"
                if full.hasPrefix(prefix) { names.append(String(full.dropFirst(prefix.count))) }
            }
            git_reference_free(reference)
        }
        return names.sorted()
    }

    /// The commit that `oid` is or points at (annotated tag). Runs on the queue.
    static func peelToCommit(_ repository: OpaquePointer, oid: git_oid, what: String) throws -> GitRevision {
        var object: OpaquePointer?
        var oid = oid
        try LibGit2.check(git_object_lookup(&object, repository, &oid, GIT_OBJECT_ANY), "reading \(what)")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0 else {
            throw GitError(.referenceNotFound, "\(what) does not point at a commit")
        }
        defer { git_object_free(commit) }
        return GitRevision(id: LibGit2.hex(git_object_id(commit)))
    }
}
