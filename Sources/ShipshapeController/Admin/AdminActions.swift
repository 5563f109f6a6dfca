import Foundation
import ShipshapeManifest
import ShipshapeReconcile

/// The state-changing operations of the admin API (`shipshape suspend`, `resume`, `approve`,
/// `rollback`, `unpin`, `reconcile`): each changes the environment's persisted state and wakes its
/// loop, which does the rest on its next cycle.
public struct AdminActions: Sendable {
    let store: StateStore
    let source: GitManifestSource
    let triggers: [String: Trigger]

    public init(store: StateStore, source: GitManifestSource, triggers: [String: Trigger]) {
        self.store = store
        self.source = source
        self.triggers = triggers
    }

    /// An admin request that cannot be carried out; `status` is the HTTP status to answer.
    public struct Refusal: Error, CustomStringConvertible {
        public var status: Int
        public var description: String
    }

    private func trigger(_ environment: String) throws -> Trigger {
        guard let trigger = triggers[environment] else {
            throw Refusal(
                status: 404,
                description:
                    "no environment \(environment) in this controller (it reconciles: \(triggers.keys.sorted().joined(separator: ", ")))"
            )
        }
        return trigger
    }

    /// Wakes the environment's loop now.
    public func reconcile(_ environment: String) async throws {
        try await trigger(environment).fire()
    }

    public func suspend(_ environment: String) async throws {
        let trigger = try trigger(environment)
        try await store.update(environment) { $0.suspended = true }
        await trigger.fire()
    }

    public func resume(_ environment: String) async throws {
        let trigger = try trigger(environment)
        try await store.update(environment) { $0.suspended = false }
        await trigger.fire()
    }

    /// Approves the held plan `plan` of `environment`. Only the plan now pending can be approved: a
    /// plan whose inputs changed has a new id and needs a new approval.
    public func approve(_ environment: String, plan: String) async throws {
        let trigger = try trigger(environment)
        try await store.update(environment) { state in
            guard let pending = state.pendingApproval else {
                throw Refusal(status: 409, description: "\(environment) has no plan waiting for approval")
            }
            guard pending.id == plan else {
                throw Refusal(
                    status: 409,
                    description:
                        "\(plan) is not the plan waiting in \(environment) (that is \(pending.id)); its inputs changed, review the new plan")
            }
            state.approvedPlans = Array((state.approvedPlans + [plan]).suffix(50))
        }
        await trigger.fire()
    }

    /// Pins `environment` to `revision` (which must hold valid manifests for it): the loop applies
    /// it and keeps it until `unpin`, whatever the branch does meanwhile.
    public func rollback(_ environment: String, to revision: String) async throws -> String {
        let trigger = try trigger(environment)
        let snapshot: ManifestSnapshot
        do {
            snapshot = try await source.snapshot(at: revision)
        } catch {
            throw Refusal(status: 404, description: "cannot read revision \(revision) from the config repository: \(error)")
        }
        guard snapshot.bundle.environments[environment] != nil else {
            let first = snapshot.bundle.diagnostics(for: environment).first?.description ?? "environment not defined"
            throw Refusal(
                status: 409, description: "revision \(revision) has no valid manifests for \(environment): \(first)")
        }
        try await store.update(environment) { state in
            state.pinnedRevision = snapshot.revision
            // A rollback is a deliberate human act: a revision that failed before may be retried.
            if state.failedRevision == snapshot.revision { state.failedRevision = nil }
        }
        await trigger.fire()
        return snapshot.revision
    }

    public func unpin(_ environment: String) async throws {
        let trigger = try trigger(environment)
        try await store.update(environment) { $0.pinnedRevision = nil }
        await trigger.fire()
    }

    public func history(_ environment: String) async throws -> [HistoryEntry] {
        _ = try trigger(environment)
        return try await store.history(environment)
    }
}
