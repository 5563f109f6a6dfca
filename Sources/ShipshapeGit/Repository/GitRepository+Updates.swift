import CLibGit2

extension GitRepository {
    /// Turns libgit2's ref updates into `GitRefUpdate`s, marking those whose new commit does not
    /// descend from the old one. Tags are peeled to commits first. Runs on the queue.
    static func classify(_ updates: [RefUpdate], in repository: OpaquePointer) -> [GitRefUpdate] {
        var latest: [String: RefUpdate] = [:]
        for update in updates {
            if let earlier = latest[update.name] {
                latest[update.name] = RefUpdate(name: update.name, old: earlier.old, new: update.new)
            } else {
                latest[update.name] = update
            }
        }
        return latest.values.sorted { $0.name < $1.name }.map { update in
            var forced = false
            if let old = update.old, let new = update.new, old != new,
                let oldCommit = try? peelToCommit(repository, oid: LibGit2.oid(old), what: update.name),
                let newCommit = try? peelToCommit(repository, oid: LibGit2.oid(new), what: update.name),
                oldCommit != newCommit
            {
                if var newID = try? LibGit2.oid(newCommit.id), var oldID = try? LibGit2.oid(oldCommit.id) {
                    forced = git_graph_descendant_of(repository, &newID, &oldID) != 1
                }
            }
            return GitRefUpdate(
                name: update.name, old: update.old.map { GitRevision(id: $0) }, new: update.new.map { GitRevision(id: $0) },
                isForced: forced)
        }
    }
}
