import CLibGit2

extension GitRepository {
    /// Resolves what the controller follows (branch, tag or newest tag in a semver range), as of the last fetch.
    public func resolve(_ ref: GitRef) async throws -> ResolvedRef {
        switch ref {
        case .branch(let branch):
            return ResolvedRef(name: "refs/remotes/origin/\(branch)", revision: try await resolveBranch(branch))
        case .tag(let tag):
            let handle = handle
            let remote = sanitizedURL
            return try await queue.run {
                let name = "refs/tags/\(tag)"
                var oid = git_oid()
                let result = git_reference_name_to_id(&oid, handle.pointer, name)
                if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue {
                    throw GitError(
                        .referenceNotFound, "tag '\(tag)' does not exist in \(remote). Check the tag in the configuration, or push it")
                }
                try LibGit2.check(result, "resolving tag '\(tag)' of \(remote)")
                return ResolvedRef(name: name, revision: try Self.peelToCommit(handle.pointer, oid: oid, what: "tag '\(tag)'"))
            }
        case .semver(let range):
            let handle = handle
            let remote = sanitizedURL
            return try await queue.run {
                let tags = try Self.tagNames(handle.pointer)
                var best: (name: String, version: SemanticVersion)?
                for name in tags {
                    guard let version = SemanticVersion(name), range.contains(version) else { continue }
                    if let current = best, version < current.version || (version == current.version && name < current.name) {
                        continue
                    }
                    best = (name, version)
                }
                guard let best else {
                    let versions = tags.filter { SemanticVersion($0) != nil }
                    let list = versions.isEmpty ? "no version tags" : "version tags: " + versions.suffix(20).joined(separator: ", ")
                    throw GitError(
                        .referenceNotFound, "no tag of \(remote) matches the version range '\(range)' (\(list))")
                }
                let name = "refs/tags/\(best.name)"
                var oid = git_oid()
                try LibGit2.check(git_reference_name_to_id(&oid, handle.pointer, name), "resolving tag '\(best.name)'")
                return ResolvedRef(
                    name: name, revision: try Self.peelToCommit(handle.pointer, oid: oid, what: "tag '\(best.name)'"),
                    version: best.version)
            }
        }
    }

    /// True when `revision` is `ancestor` or has it in its history (a fast-forward from `ancestor`).
    public func isDescendant(_ revision: GitRevision, of ancestor: GitRevision) async throws -> Bool {
        let handle = handle
        return try await queue.run {
            if revision == ancestor { return true }
            var new = try LibGit2.oid(revision.id)
            var old = try LibGit2.oid(ancestor.id)
            let result = git_graph_descendant_of(handle.pointer, &new, &old)
            try LibGit2.check(result, "comparing the history of \(revision.short) and \(ancestor.short)")
            return result == 1
        }
    }

    /// Every tag name of the local clone (without `refs/tags/`). Runs on the queue.
    static func tagNames(_ repository: OpaquePointer) throws -> [String] {
        var array = git_strarray()
        try LibGit2.check(git_tag_list(&array, repository), "listing tags")
        defer { git_strarray_dispose(&array) }
        return (0..<array.count).compactMap { index in array.strings[index].map { String(cString: $0) } }
    }
}
