public import Logging
public import ShipshapeGit
import ShipshapeManifest

/// Follows the config repository: fetches, resolves the branch, and loads the manifests of the tip.
///
/// The clone lives in the state directory; fetches are incremental. A revision's manifests are
/// decoded once and cached until the tip moves.
public actor GitManifestSource {
    public let url: String
    public let ref: GitRef
    public let path: String
    private let remote: GitRemoteOptions
    private let verify: CommitVerificationPolicy?
    private let clonePath: String
    private let logger: Logger
    private var repository: GitRepository?
    private var cached: ManifestSnapshot?
    /// The last snapshot loaded for a revision other than the tip (a rollback's).
    private var pinned: ManifestSnapshot?

    public init(configuration: ControllerConfiguration.Git, stateDirectory: String, logger: Logger) {
        url = configuration.url
        ref = configuration.ref
        path = configuration.path
        remote = configuration.remote
        verify = configuration.verify
        clonePath = "\(stateDirectory)/repository.git"
        var logger = logger
        logger[metadataKey: "git.url"] = "\(sanitizedURL(configuration.url))"
        self.logger = logger
    }

    /// Fetches origin and returns the manifests at what the controller follows (branch tip, tag,
    /// newest tag in the range). With signature verification, a tip without a trusted signature is
    /// refused (`SignatureRefused`) and the last good snapshot stays `current`. A history rewrite
    /// (force-push) is followed, and reported in `lastForcedUpdate`.
    public func refresh() async throws -> ManifestSnapshot {
        let repository = try await openRepository()
        let result = try await repository.fetch(options: remote)
        if !result.updatedRefs.isEmpty {
            logger.debug("Fetched", metadata: ["git.refs": "\(result.updatedRefs)"])
        }
        let resolved = try await repository.resolve(ref)
        if let forced = result.forcedUpdates.first(where: { $0.name == resolved.name }) {
            lastForcedUpdate = forced
            logger.warning(
                "History of the followed ref was rewritten (force-push); following the new tip",
                metadata: [
                    "git.ref": "\(resolved.name)", "old": "\(forced.old?.short ?? "none")", "new": "\(forced.new?.short ?? "none")",
                ])
        }
        if let verify, cached?.revision != resolved.revision.id {
            do {
                let trusted = try await repository.verifySignature(of: resolved.revision, policy: verify)
                logger.info(
                    "Signature trusted",
                    metadata: ["revision": "\(resolved.revision.short)", "signer": "\(trusted.signer)"])
            } catch {
                throw SignatureRefused(revision: resolved.revision.id, reason: "\(error)")
            }
        }
        return try await snapshot(at: resolved.revision, in: repository)
    }

    /// The last force-push seen on the followed ref, for alerts.
    public private(set) var lastForcedUpdate: GitRefUpdate?

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
        let opened = try await GitRepository.openOrClone(url: url, at: clonePath, options: remote, logger: logger)
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
        let files = try await repository.files(at: revision, under: path).filter { ManifestLoader.isManifestPath($0.path) }
        let bundle = ManifestLoader.load(files.map { ManifestSource(path: $0.path, contents: $0.contents) })
        return ManifestSnapshot(revision: revision.id, bundle: bundle)
    }
}

/// The tip of the followed ref has no trusted signature: it is not applied; the last good
/// revision stays in force.
public struct SignatureRefused: Error, CustomStringConvertible {
    public var revision: String
    public var reason: String
    public var description: String {
        "commit \(revision.prefix(12)) is not applied: \(reason); the last good revision stays in force"
    }
}
