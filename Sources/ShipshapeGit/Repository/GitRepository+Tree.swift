import CLibGit2
import Foundation

extension GitRepository {
    /// Every blob (recursively) under `path` in the commit's tree, read without a work tree,
    /// sorted by path. Paths are relative to `path`. An empty `path` (or `.`) reads the whole tree.
    ///
    /// Symbolic links and submodules are skipped (they have no contents in this repository).
    public func files(at revision: GitRevision, under path: String) async throws -> [GitFile] {
        let handle = handle
        let remote = sanitizedURL
        let folder = Self.normalizedTreePath(path)
        return try await queue.run {
            let commit = try Self.lookupCommit(handle.pointer, revision, remote: remote)
            defer { git_commit_free(commit) }
            var root: OpaquePointer?
            try LibGit2.check(git_commit_tree(&root, commit), "reading the tree of commit \(revision.short)")
            defer { git_tree_free(root) }

            var tree = root
            var subtree: OpaquePointer?
            defer { if subtree != nil { git_tree_free(subtree) } }
            if !folder.isEmpty {
                var entry: OpaquePointer?
                let found = git_tree_entry_bypath(&entry, root, folder)
                if found == GIT_ENOTFOUND.rawValue {
                    throw GitError(
                        .pathNotFound,
                        "the folder '\(folder)' does not exist at commit \(revision.short) of \(remote). "
                            + "Check the path in the configuration")
                }
                try LibGit2.check(found, "looking up '\(folder)' at commit \(revision.short)")
                defer { git_tree_entry_free(entry) }
                guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
                    throw GitError(
                        .notADirectory,
                        "'\(folder)' at commit \(revision.short) of \(remote) is a file, not a folder. "
                            + "Check the path in the configuration")
                }
                try LibGit2.check(
                    git_tree_lookup(&subtree, handle.pointer, git_tree_entry_id(entry)),
                    "reading the folder '\(folder)' at commit \(revision.short)")
                tree = subtree
            }
            var files: [GitFile] = []
            try Self.collectBlobs(handle.pointer, tree: tree!, prefix: "", into: &files)
            return files.sorted { $0.path < $1.path }
        }
    }

    /// The author, summary, time and message of `revision`.
    public func commit(_ revision: GitRevision) async throws -> CommitInfo {
        let handle = handle
        let remote = sanitizedURL
        return try await queue.run { try Self.commitInfo(handle.pointer, revision, remote: remote) }
    }

    /// The commits reachable from `tip` and not from `excluded` (the range `excluded..tip`), newest
    /// first, at most `limit` of them. Without `excluded`, `tip` and its ancestors.
    public func commits(from tip: GitRevision, excluding excluded: GitRevision?, limit: Int) async throws -> [CommitInfo] {
        let handle = handle
        let remote = sanitizedURL
        return try await queue.run {
            var walk: OpaquePointer?
            try LibGit2.check(git_revwalk_new(&walk, handle.pointer), "starting a history walk")
            defer { git_revwalk_free(walk) }
            try LibGit2.check(
                git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue), "sorting a history walk")
            var start = try LibGit2.oid(tip.id)
            try LibGit2.check(git_revwalk_push(walk, &start), "walking the history of \(tip.short)")
            if let excluded {
                var hidden = try LibGit2.oid(excluded.id)
                // A rewritten history may not contain the excluded commit any more: then walk from
                // the tip alone, still bounded by `limit`.
                let result = git_revwalk_hide(walk, &hidden)
                if result != 0 && result != GIT_ENOTFOUND.rawValue {
                    try LibGit2.check(result, "hiding \(excluded.short) from a history walk")
                }
            }
            var found: [CommitInfo] = []
            var oid = git_oid()
            while found.count < limit {
                let result = git_revwalk_next(&oid, walk)
                if result == GIT_ITEROVER.rawValue { break }
                try LibGit2.check(result, "walking the history of \(tip.short)")
                found.append(try Self.commitInfo(handle.pointer, GitRevision(id: LibGit2.hex(oid)), remote: remote))
            }
            return found
        }
    }

    /// Reads a commit's info. Runs on the queue.
    static func commitInfo(_ repository: OpaquePointer, _ revision: GitRevision, remote: String) throws -> CommitInfo {
        let commit = try lookupCommit(repository, revision, remote: remote)
        defer { git_commit_free(commit) }
        let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        guard let author = git_commit_author(commit) else {
            throw GitError(.operationFailed, "commit \(revision.short) of \(remote) has no author")
        }
        return CommitInfo(
            revision: revision,
            summary: summary,
            authorName: author.pointee.name.map { String(cString: $0) } ?? "",
            authorEmail: author.pointee.email.map { String(cString: $0) } ?? "",
            time: Date(timeIntervalSince1970: TimeInterval(author.pointee.when.time)),
            message: git_commit_message(commit).map { String(cString: $0) } ?? "")
    }

    /// `path` without leading/trailing slashes and `.` components.
    static func normalizedTreePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true)
            .filter { $0 != "." }
            .joined(separator: "/")
    }

    /// Looks up a commit object (caller frees it). Runs on the queue.
    static func lookupCommit(_ repository: OpaquePointer, _ revision: GitRevision, remote: String) throws
        -> OpaquePointer
    {
        var oid = try LibGit2.oid(revision.id)
        var commit: OpaquePointer?
        let result = git_commit_lookup(&commit, repository, &oid)
        if result == GIT_ENOTFOUND.rawValue {
            throw GitError(
                .referenceNotFound, "commit \(revision.short) is not in the local clone of \(remote); fetch first")
        }
        try LibGit2.check(result, "reading commit \(revision.short)")
        return commit!
    }

    /// Appends every blob below `tree` to `files`, recursing into subtrees. Runs on the queue.
    static func collectBlobs(_ repository: OpaquePointer, tree: OpaquePointer, prefix: String, into files: inout [GitFile])
        throws
    {
        let count = git_tree_entrycount(tree)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index), let rawName = git_tree_entry_name(entry) else {
                continue
            }
            let name = prefix + String(cString: rawName)
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_TREE:
                var subtree: OpaquePointer?
                try LibGit2.check(
                    git_tree_lookup(&subtree, repository, git_tree_entry_id(entry)), "reading the folder '\(name)'")
                defer { git_tree_free(subtree) }
                try collectBlobs(repository, tree: subtree!, prefix: name + "/", into: &files)
            case GIT_OBJECT_BLOB:
                guard git_tree_entry_filemode(entry) != GIT_FILEMODE_LINK else { continue }
                var blob: OpaquePointer?
                try LibGit2.check(git_blob_lookup(&blob, repository, git_tree_entry_id(entry)), "reading the file '\(name)'")
                defer { git_blob_free(blob) }
                let size = Int(git_blob_rawsize(blob))
                var contents = [UInt8](repeating: 0, count: size)
                if size > 0, let raw = git_blob_rawcontent(blob) {
                    contents.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: size)) }
                }
                files.append(GitFile(path: name, contents: contents))
            default:
                continue
            }
        }
    }
}
