public import Logging
import ShipshapeGit
import ShipshapeManifest

/// Follows the config repository: fetches, resolves the branch, and loads the manifests of the tip.
///
/// The clone lives in the state directory; fetches are incremental. A revision's manifests are
/// decoded once and cached until the tip moves.
public actor GitManifestSource {
    public let url: String
    public let branch: String
    public let path: String
    private let clonePath: String
    private let logger: Logger
    private var repository: GitRepository?
    private var cached: ManifestSnapshot?
    /// The last snapshot loaded for a revision other than the tip (a rollback's).
    private var pinned: ManifestSnapshot?

    public init(configuration: ControllerConfiguration.Git, stateDirectory: String, logger: Logger) {
        url = configuration.url
        branch = configuration.branch
        path = configuration.path
        clonePath = "\(stateDirectory)/repository.git"
        var logger = logger
        logger[metadataKey: "git.url"] = "\(sanitizedURL(configuration.url))"
        self.logger = logger
    }

    /// Fetches origin and returns the manifests at the tip of the branch.
    public func refresh() async throws -> ManifestSnapshot {
        let repository = try await openRepository()
        let result = try await repository.fetch(options: GitRemoteOptions())
        if !result.updatedRefs.isEmpty {
            logger.debug("Fetched", metadata: ["git.refs": "\(result.updatedRefs)"])
        }
        let revision = try await repository.resolveBranch(branch)
        return try await snapshot(at: revision, in: repository)
    }

    /// The manifests at the tip fetched last, without fetching.
    public var current: ManifestSnapshot? { cached }

    /// The manifests at `revision` (a full or abbreviated commit id, or a ref), from the local
    /// clone: for rollbacks to a pinned revision.
    public func snapshot(at revision: String) async throws -> ManifestSnapshot {
        if let cached, cached.revision == revision { return cached }
        if let pinned, pinned.revision == revision { return pinned }
        let repository = try await openRepository()
        let resolved = try await repository.resolve(revision)
        if let cached, cached.revision == resolved.id { return cached }
        if let pinned, pinned.revision == resolved.id { return pinned }
        let snapshot = try await load(resolved, from: repository)
        pinned = snapshot
        return snapshot
    }

    private func openRepository() async throws -> GitRepository {
        if let repository { return repository }
        let opened = try await GitRepository.openOrClone(
            url: url, at: clonePath, options: GitRemoteOptions(), logger: logger)
        repository = opened
        return opened
    }

    private func snapshot(at revision: GitRevision, in repository: GitRepository) async throws -> ManifestSnapshot {
        if let cached, cached.revision == revision.id { return cached }
        let snapshot = try await load(revision, from: repository)
        let bundle = snapshot.bundle
        cached = snapshot
        logger.info(
            "New revision",
            metadata: ["revision": "\(revision.short)", "environments": "\(bundle.environmentNames)"])
        return snapshot
    }

    private func load(_ revision: GitRevision, from repository: GitRepository) async throws -> ManifestSnapshot {
        let files = try await repository.files(at: revision, under: path)
        let bundle = ManifestLoader.load(files.map { ManifestSource(path: $0.path, contents: $0.contents) })
        return ManifestSnapshot(revision: revision.id, bundle: bundle)
    }
}
