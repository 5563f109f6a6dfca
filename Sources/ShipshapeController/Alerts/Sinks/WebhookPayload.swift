import Foundation
import ShipshapeManifest

/// The JSON body the generic webhook sink posts (schema `shipshape.alert/v1`, docs/alerts.md).
public struct WebhookPayload: Codable, Sendable, Hashable {
    /// Always `shipshape.alert/v1`.
    public var schema: String
    /// Stable for repeats of the same event (kind, status, environment, revision, resource).
    public var id: String
    public var kind: String
    /// `firing` or `resolved`.
    public var status: String
    public var severity: String
    public var environment: String
    public var revision: String
    public var resource: String?
    public var summary: String
    public var details: [String]
    public var changes: [String]
    public var commitURL: String?
    public var occurredAt: Date

    public init(event: AlertEvent, commitURL: String?) {
        schema = "shipshape.alert/v1"
        id = Self.identifier(event.deduplicationKey)
        kind = event.kind.rawValue
        status = event.status.rawValue
        severity = event.severity.rawValue
        environment = event.environment
        revision = event.revision
        resource = event.resource
        summary = event.summary
        details = event.details
        changes = event.changes
        self.commitURL = commitURL
        occurredAt = event.occurredAt
    }

    /// A short stable id: hex of FNV-1a 64 over the deduplication key.
    static func identifier(_ key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
