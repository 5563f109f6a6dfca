public import Logging
public import ServiceLifecycle
import ShipshapeReconcile

/// Keeps the leader lease: renews it every third of its duration, and tells the reconcile cycles
/// whether this controller may apply AWS changes.
///
/// Docker changes are not under the lease: each host's controller reconciles its own containers.
/// AWS resources are shared, so only the leader changes them; the others observe and report.
public struct Leadership: Service {
    public let lease: DynamoDBLease
    public let logger: Logger
    private let wake = Trigger()

    public init(lease: DynamoDBLease, logger: Logger) {
        self.lease = lease
        self.logger = logger
    }

    /// Kinds any controller may change on its own host, lease or not.
    public static let hostScoped: Set<ResourceKind> = [.service]

    public func run() async throws {
        let wake = wake
        await withGracefulShutdownHandler {
            await keep()
        } onGracefulShutdown: {
            Task { await wake.fire() }
        }
        await lease.release()
    }

    private func keep() async {
        var wasLeader = false
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let held = try await lease.acquireOrRenew()
                if (held != nil) != wasLeader {
                    logger.notice(
                        held != nil ? "Leader lease acquired" : "Leader lease held by another controller",
                        metadata: ["lease.generation": "\(held?.generation ?? 0)", "lease.name": "\(lease.name)"])
                }
                wasLeader = held != nil
            } catch {
                logger.error("Cannot renew the leader lease", metadata: ["error": "\(error)"])
            }
            await wake.wait(timeout: lease.duration / 3)
        }
    }

    /// The lease generation this controller holds now, or nil.
    public func generation() async -> Int? {
        await lease.current?.generation
    }
}
