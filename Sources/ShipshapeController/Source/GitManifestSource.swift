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
        let previous = cached
        if let previous, previous.revision == resolved.revision.id { return previous }
        if let verify {
            do {
                let trusted = try await repository.verifySignature(of: resolved.revision, policy: verify)
                logger.info(
                    "Signature trusted",
                    metadata: ["revision": "\(resolved.revision.short)", "signer": "\(trusted.signer)"])
            } catch {
                throw SignatureRefused(revision: resolved.revision.id, reason: "\(error)")
            }
        }
        var snapshot = try await load(resolved.revision, from: repository)
        let found = await approvals(
            in: repository, tip: resolved.revision, since: previous.map { GitRevision(id: $0.revision) })
        snapshot.approvals = Array(((previous?.approvals ?? []) + found).suffix(50))
        cached = snapshot
        logger.info(
            "New revision",
            metadata: ["revision": "\(resolved.revision.short)", "environments": "\(snapshot.bundle.environmentNames)"])
        return snapshot
    }

    /// The signed `Approve-Plan:` trailers of the commits that are new since `since` (at most 100;
    /// after a restart, the tip alone). A trailer counts only in a commit that an allowed signer
    /// signed, so approvals need `git.verify`; anything else is logged and ignored.
    private func approvals(in repository: GitRepository, tip: GitRevision, since: GitRevision?) async -> [PlanApproval] {
        let commits: [CommitInfo]
        do {
            commits = try await repository.commits(from: tip, excluding: since, limit: since == nil ? 1 : 100)
        } catch {
            logger.warning("Cannot read the new commits for plan approvals", metadata: ["error": "\(error)"])
            return []
        }
        var found: [PlanApproval] = []
        for commit in commits.reversed() {
            let plans = commit.trailers.filter { $0.key.lowercased() == PlanApproval.trailer.lowercased() }.map(\.value)
            guard !plans.isEmpty else { continue }
            let metadata: Logger.Metadata = ["revision": "\(commit.revision.short)", "plans": "\(plans)"]
            guard let verify else {
                logger.warning(
                    "Approve-Plan trailer ignored: approvals by commit count only in signed commits (configure git.verify)",
                    metadata: metadata)
                continue
            }
            let signer: String
            do {
                signer = try await repository.verifySignature(of: commit.revision, policy: verify).signer
            } catch {
                logger.warning(
                    "Approve-Plan trailer ignored: the commit has no trusted signature",
                    metadata: metadata.merging(["error": "\(error)"]) { $1 })
                continue
            }
            for plan in plans {
                guard PlanApproval.isPlanID(plan) else {
                    logger.warning("Approve-Plan trailer ignored: not a plan id", metadata: metadata)
                    continue
                }
                logger.notice(
                    "Plan approved by a signed commit", metadata: metadata.merging(["signer": "\(signer)"]) { $1 })
                found.append(PlanApproval(plan: plan, revision: commit.revision.id, signer: signer))
            }
        }
        return found
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
