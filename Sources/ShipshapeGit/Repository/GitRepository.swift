import CLibGit2
import Foundation
import Logging

/// A local bare clone of the config repository, kept up to date by `fetch`.
///
/// Every libgit2 call of one repository runs on its own serial queue, never on Swift's cooperative
/// thread pool; the methods are safe to call from any task and are serialised.
public final class GitRepository: Sendable {
    /// The remote URL as configured (may hold credentials: never log it, use `sanitizedURL`).
    let url: String
    /// The remote URL without userinfo, for logs and errors.
    public let sanitizedURL: String
    /// The path of the local bare clone.
    public let path: String
    let logger: Logger
    let queue: GitQueue
    let handle: RepositoryHandle

    private init(url: String, path: String, queue: GitQueue, handle: RepositoryHandle, logger: Logger) {
        self.url = url
        self.sanitizedURL = GitURL.sanitize(url)
        self.path = path
        self.queue = queue
        self.handle = handle
        var logger = logger
        logger[metadataKey: "git.remote"] = .string(GitURL.sanitize(url))
        self.logger = logger
    }

    /// Opens the local (bare) clone at `path`, or clones `url` into it when it does not exist yet.
    ///
    /// A clone is made in a sibling staging folder and renamed into place when complete, so an
    /// interrupted clone never leaves a half-filled `path` behind. When `path` holds a clone of a
    /// different URL, the clone's `origin` is pointed at `url` (the next fetch replaces its refs).
    ///
    /// - Parameters:
    ///   - url: `file://` URL, local path, `https://` URL or SSH address of the remote.
    ///   - path: where the bare clone lives (the controller's state directory).
    ///   - options: credentials and trust settings for the remote.
    ///   - logger: receives progress at debug level and notable events at info level.
    public static func openOrClone(
        url: String,
        at path: String,
        options: GitRemoteOptions,
        logger: Logger
    ) async throws -> GitRepository {
        LibGit2.ensureInitialized()
        let queue = GitQueue(label: "shipshape.git.repository")
        let safeURL = GitURL.sanitize(url)
        if FileManager.default.fileExists(atPath: path) {
            let handle = try await queue.run { try Self.openExisting(url: url, path: path, logger: logger) }
            logger.debug("opened local clone", metadata: ["git.path": .string(path), "git.remote": .string(safeURL)])
            return GitRepository(url: url, path: path, queue: queue, handle: handle, logger: logger)
        }
        let context = FetchContext(url: url, options: options)
        let start = ContinuousClock.now
        let handle = try await withTaskCancellationHandler {
            try await queue.run {
                try Self.cloneBare(url: url, path: path, options: options, context: context)
            }
        } onCancel: {
            context.cancel()
        }
        logger.info(
            "cloned remote",
            metadata: [
                "git.path": .string(path), "git.remote": .string(safeURL),
                "git.refs": .stringConvertible(context.updates.count),
                "git.duration": .string("\(ContinuousClock.now - start)"),
            ])
        return GitRepository(url: url, path: path, queue: queue, handle: handle, logger: logger)
    }

    /// Fetches origin; returns the refs that moved. Cheap when nothing moved: libgit2 compares
    /// the advertised refs with the local ones and transfers no pack.
    public func fetch(options: GitRemoteOptions) async throws -> GitFetchResult {
        let context = FetchContext(url: url, options: options)
        let handle = handle
        let url = url
        let start = ContinuousClock.now
        let (received, updates) = try await withTaskCancellationHandler {
            try await queue.run {
                let received = try Self.fetchOrigin(repository: handle.pointer, url: url, options: options, context: context)
                return (received, Self.classify(context.updates, in: handle.pointer))
            }
        } onCancel: {
            context.cancel()
        }
        let result = GitFetchResult(
            updatedRefs: Array(Set(updates.map(\.name))).sorted(), receivedBytes: received, updates: updates)
        for forced in result.forcedUpdates {
            logger.warning(
                "history was rewritten on the remote: the new tip does not descend from the previous one",
                metadata: [
                    "git.ref": .string(forced.name), "git.old": .string(forced.old?.id ?? ""),
                    "git.new": .string(forced.new?.id ?? ""),
                ])
        }
        logger.debug(
            "fetched remote",
            metadata: [
                "git.updatedRefs": .stringConvertible(result.updatedRefs.count),
                "git.receivedBytes": .stringConvertible(received),
                "git.duration": .string("\(ContinuousClock.now - start)"),
            ])
        return result
    }
}
