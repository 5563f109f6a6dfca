import Crypto

/// Computes plans. Pure: no I/O, no clock, so it is fast and testable on its own.
public enum Planner {
    /// What the planner needs to know besides desired and live state.
    public struct Inputs: Sendable {
        public var environment: String
        public var revision: String
        /// Correct drift (true) or only report it (false).
        public var selfHeal: Bool
        /// Kinds whose drift is only reported, whatever `selfHeal` says.
        public var detectOnly: Set<ResourceKind>
        /// Delete owned resources that left the manifests.
        public var prune: Bool
        /// Fingerprints of each resource's desired attributes at the last successful apply, to tell
        /// drift (same desired state, live changed) from a new revision (desired state changed).
        public var appliedFingerprints: [ResourceID: String]
        /// Resources whose last change was cut short (from the controller's apply journal). One that
        /// looks in sync gets an `update` with reason `interrupted`, so its provider runs again.
        public var interrupted: Set<ResourceID>

        public init(
            environment: String,
            revision: String,
            selfHeal: Bool = true,
            detectOnly: Set<ResourceKind> = [],
            prune: Bool = false,
            appliedFingerprints: [ResourceID: String] = [:],
            interrupted: Set<ResourceID> = []
        ) {
            self.environment = environment
            self.revision = revision
            self.selfHeal = selfHeal
            self.detectOnly = detectOnly
            self.prune = prune
            self.appliedFingerprints = appliedFingerprints
            self.interrupted = interrupted
        }
    }

    /// Compares desired with live state and returns the ordered plan.
    public static func plan(desired: [DesiredResource], live: [ResourceID: LiveResource], inputs: Inputs) -> Plan {
        var changes: [Change] = []
        var unchanged: [ResourceID] = []
        var detectedDrift: [Change] = []
        var desiredIDs = Set<ResourceID>()
        desiredIDs.reserveCapacity(desired.count)
        var fingerprints: [ResourceID: String] = [:]
        fingerprints.reserveCapacity(desired.count)

        for resource in desired {
            desiredIDs.insert(resource.id)
            let print = fingerprint(resource.attributes)
            fingerprints[resource.id] = print
            let current = live[resource.id]
            let fields = fieldChanges(desired: resource, live: current)
            if current != nil && fields.isEmpty {
                if inputs.interrupted.contains(resource.id) {
                    changes.append(
                        Change(
                            resource: resource.id, action: .update, reason: .interrupted, fields: [], disruptive: false,
                            desired: resource, live: current))
                } else {
                    unchanged.append(resource.id)
                }
                continue
            }
            let applied = inputs.appliedFingerprints[resource.id]
            let reason: Change.Reason = applied == print ? .drift : .newRevision
            let action: Change.Action
            if current == nil {
                action = .create
            } else if fields.contains(where: { $0.effect == .replace }) {
                action = .replace
            } else {
                action = .update
            }
            let change = Change(
                resource: resource.id,
                action: action,
                reason: reason,
                fields: fields,
                // Creating interrupts nothing; changing a disruptive field of a live resource does.
                disruptive: action != .create && fields.contains { $0.effect == .disruptive },
                desired: resource,
                live: current
            )
            if reason == .drift && (!inputs.selfHeal || inputs.detectOnly.contains(resource.id.kind)) {
                detectedDrift.append(change)
            } else {
                changes.append(change)
            }
        }

        var deletes: [Change] = []
        var orphaned: [ResourceID] = []
        for (id, resource) in live where !desiredIDs.contains(id) && resource.owned {
            if inputs.prune {
                deletes.append(
                    Change(
                        resource: id,
                        action: .delete,
                        reason: .prune,
                        fields: [],
                        disruptive: true,
                        desired: nil,
                        live: resource
                    )
                )
            } else {
                orphaned.append(id)
            }
        }

        return Plan(
            environment: inputs.environment,
            revision: inputs.revision,
            changes: order(changes) + order(deletes).reversed(),
            unchanged: unchanged.sorted(),
            orphaned: orphaned.sorted(),
            detectedDrift: order(detectedDrift),
            fingerprints: fingerprints
        )
    }

    /// The field-level differences between a desired resource and its live form. Every desired field
    /// is compared; a field the live resource lacks counts as a change.
    public static func fieldChanges(desired: DesiredResource, live: LiveResource?) -> [FieldChange] {
        var fields: [FieldChange] = []
        for (path, after) in desired.attributes {
            let before = live?.attributes[path]
            if before != after {
                fields.append(
                    FieldChange(
                        path: path,
                        before: before,
                        after: after,
                        effect: desired.fieldEffects[path] ?? .inPlace
                    )
                )
            }
        }
        return fields.sorted { $0.path < $1.path }
    }

    /// A stable fingerprint of desired attributes (SHA-256 over a canonical form). Sensitive values
    /// enter as a marker only: their per-process fingerprints are not stable across restarts.
    public static func fingerprint(_ attributes: Attributes) -> String {
        var hasher = SHA256()
        for key in attributes.keys.sorted() {
            hasher.update(data: Array(key.utf8))
            hasher.update(data: [0])
            hasher.update(data: Array(attributes[key]!.description.utf8))
            hasher.update(data: [0])
        }
        return hexString(hasher.finalize())
    }

    /// Orders changes so that every change comes after the changes it depends on, by kind first and
    /// then by name, which keeps plans stable from one run to the next.
    static func order(_ changes: [Change]) -> [Change] {
        let sorted = changes.sorted { $0.resource < $1.resource }
        let present = Set(sorted.map(\.resource))
        var placed = Set<ResourceID>()
        var result: [Change] = []
        result.reserveCapacity(sorted.count)
        var pending = sorted
        while !pending.isEmpty {
            var next: [Change] = []
            let before = result.count
            for change in pending {
                let waiting = (change.desired?.dependencies ?? []).contains { present.contains($0) && !placed.contains($0) }
                if waiting {
                    next.append(change)
                } else {
                    result.append(change)
                    placed.insert(change.resource)
                }
            }
            if result.count == before {
                // A dependency cycle: keep the stable order rather than loop forever.
                result.append(contentsOf: next)
                break
            }
            pending = next
        }
        return result
    }
}

/// Lower-case hexadecimal digits of `bytes`.
public func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
