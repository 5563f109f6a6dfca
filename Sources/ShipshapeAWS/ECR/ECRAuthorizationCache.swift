import Foundation
import Logging

/// Keeps the ECR Docker login until shortly before it expires, so pulls do not call
/// GetAuthorizationToken each time. Concurrent callers share one fetch.
public actor ECRAuthorizationCache {
    public nonisolated let ecr: ECRClient
    /// How long before `expiresAt` a token counts as expired (default 10 minutes).
    public nonisolated let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: ECRAuthorization?
    private var inFlight: Task<ECRAuthorization, any Error>?

    public init(ecr: ECRClient, refreshMargin: TimeInterval = 600, now: @escaping @Sendable () -> Date = { Date() }) {
        self.ecr = ecr
        self.refreshMargin = refreshMargin
        self.now = now
    }

    /// A login that is valid for at least `refreshMargin` more (fetched again when needed).
    public func authorization() async throws -> ECRAuthorization {
        if let cached, let expiresAt = cached.expiresAt, expiresAt.timeIntervalSince(now()) > refreshMargin {
            return cached
        }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await ecr.getAuthorization() }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }

    /// Drops the cached login (after the registry refused it).
    public func invalidate() { cached = nil }
}
