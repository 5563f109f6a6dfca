public import Foundation
public import ShipshapeManifest

/// Something an operator should hear about: a failed cycle, drift, a rollback, an applied revision.
///
/// Events go to `AlertDispatcher.send(_:)`, which deduplicates them, routes them to the sinks of the
/// environment and delivers them in the background. A problem (`kind.isProblem`) stays open until a
/// resolved notice for the same problem (`AlertEvent.resolved(…)`) follows it; a resolved notice for a
/// problem that was never reported is not sent.
///
/// `summary`, `details` and `changes` are for people and may carry durations and counts; they never
/// take part in deduplication and must never contain secrets.
public struct AlertEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case reconcileFailed
        case driftDetected
        case driftCorrected
        case rolledBack
        case manifestInvalid
        case signatureRefused
        case gitUnreachable
        /// The followed ref's history was rewritten (a force-push); the new tip is followed.
        case historyRewritten
        case approvalPending
        /// A revision's rollout started (GitHub commit status `pending`).
        case revisionApplying
        case revisionApplied
        /// A restarted controller found an apply the previous one did not finish (apply journal).
        case applyInterrupted

        /// Whether the event reports a problem that stays open until it is resolved.
        public var isProblem: Bool {
            switch self {
            case .reconcileFailed, .driftDetected, .manifestInvalid, .signatureRefused, .gitUnreachable,
                .approvalPending:
                true
            case .driftCorrected, .rolledBack, .revisionApplying, .revisionApplied, .historyRewritten,
                .applyInterrupted:
                false
            }
        }

        /// The severity used when the caller does not give one.
        public var defaultSeverity: AlertSeverity {
            switch self {
            case .reconcileFailed, .rolledBack, .manifestInvalid, .signatureRefused, .gitUnreachable: .critical
            case .driftDetected, .approvalPending, .historyRewritten, .applyInterrupted: .warning
            case .driftCorrected, .revisionApplying, .revisionApplied: .info
            }
        }

        /// The manifest's name for the event (`spec.alerts.routes[].events`), where it has one.
        public var manifestEvent: ShipshapeManifest.AlertEvent? {
            switch self {
            case .reconcileFailed: .reconcileFailed
            case .driftDetected: .driftDetected
            case .driftCorrected: .driftCorrected
            case .rolledBack: .rolloutRolledBack
            case .manifestInvalid: .manifestInvalid
            case .gitUnreachable: .sourceUnreachable
            case .revisionApplied: .revisionApplied
            case .signatureRefused, .approvalPending, .revisionApplying, .historyRewritten, .applyInterrupted: nil
            }
        }

        /// A short title for people ("Reconcile failed").
        public var title: String {
            switch self {
            case .reconcileFailed: "Reconcile failed"
            case .driftDetected: "Drift detected"
            case .driftCorrected: "Drift corrected"
            case .rolledBack: "Rollout rolled back"
            case .manifestInvalid: "Manifests invalid"
            case .signatureRefused: "Commit signature refused"
            case .gitUnreachable: "Config repository unreachable"
            case .historyRewritten: "Config repository history rewritten"
            case .approvalPending: "Approval pending"
            case .revisionApplying: "Applying revision"
            case .revisionApplied: "Revision applied"
            case .applyInterrupted: "Apply interrupted"
            }
        }
    }

    /// Whether the event opens (or repeats) a problem or reports that it is fixed.
    public enum Status: String, Sendable, Hashable, Codable {
        case firing
        case resolved
    }

    public var kind: Kind
    public var status: Status
    public var severity: AlertSeverity
    /// The environment; `gitUnreachable` (which concerns every environment) uses `*`.
    public var environment: String
    /// The full commit id the event concerns (the newest revision seen, or the one applied).
    public var revision: String
    /// The resource concerned (`service/api`), if the event is about one.
    public var resource: String?
    /// One line for people.
    public var summary: String
    /// Further lines for people (error text, diagnostics); may change between repeats.
    public var details: [String]
    /// What changed (`~ service/api: tag 1.0.0 → 1.0.1`), for `revisionApplied` and drift.
    public var changes: [String]
    /// When the event was raised.
    public var occurredAt: Date

    /// Creates a firing event; `severity` defaults to the kind's.
    public init(
        _ kind: Kind,
        environment: String,
        revision: String,
        resource: String? = nil,
        summary: String,
        details: [String] = [],
        changes: [String] = [],
        severity: AlertSeverity? = nil,
        occurredAt: Date = Date()
    ) {
        self.kind = kind
        self.status = .firing
        self.severity = severity ?? kind.defaultSeverity
        self.environment = environment
        self.revision = revision
        self.resource = resource
        self.summary = summary
        self.details = details
        self.changes = changes
        self.occurredAt = occurredAt
    }

    /// A resolved notice for the problem `kind` in `environment`: for `resource` only, or with no
    /// resource for every open problem of that kind there. The dispatcher sends it only for problems
    /// that were reported and are still open.
    public static func resolved(
        _ kind: Kind,
        environment: String,
        revision: String,
        resource: String? = nil,
        summary: String? = nil,
        occurredAt: Date = Date()
    ) -> AlertEvent {
        var event = AlertEvent(
            kind, environment: environment, revision: revision, resource: resource,
            summary: summary ?? "\(kind.title): resolved", severity: .info, occurredAt: occurredAt)
        event.status = .resolved
        return event
    }

    /// Identifies the problem independently of the revision: the open problem a resolved notice
    /// closes, and the Alertmanager alert's identity.
    public var problemKey: String {
        [kind.rawValue, environment, resource ?? "-"].joined(separator: "|")
    }

    /// Identifies repeats: kind, status, environment, revision and resource. Summary, details,
    /// durations and timestamps are left out, so "failed after 3.2 s" and "failed after 3.4 s" of the
    /// same revision are one event.
    public var deduplicationKey: String {
        [kind.rawValue, status.rawValue, environment, revision, resource ?? "-"].joined(separator: "|")
    }

    /// The first 12 characters of the revision, as people read it.
    public var shortRevision: String { String(revision.prefix(12)) }
}
