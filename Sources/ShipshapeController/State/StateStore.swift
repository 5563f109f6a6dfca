import Foundation
import ShipshapeReconcile

/// What the controller remembers about one environment across restarts.
public struct EnvironmentState: Sendable, Codable, Hashable {
    /// The revision whose manifests were last applied completely.
    public var lastAppliedRevision: String?
    /// `KIND/NAME` → fingerprint of the desired attributes at the last successful apply; tells drift
    /// from a new revision.
    public var appliedFingerprints: [String: String] = [:]
    /// A revision whose changes failed in a way a retry cannot fix (a rollout rolled back, an image
    /// missing). Its new-revision changes are not retried until the tip moves; drift is still
    /// corrected.
    public var failedRevision: String?
    /// Why `failedRevision` failed, for status and alerts.
    public var failedReason: String?

    public init() {}
}

/// Keeps per-environment state as JSON files in the state directory.
///
/// Writes go to a temporary file that is renamed over the old one, so a crash never leaves a torn
/// file behind.
public actor StateStore {
    public let directory: String

    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(
            atPath: "\(directory)/environments", withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o750])
    }

    private func path(_ environment: String) -> String { "\(directory)/environments/\(environment).json" }

    /// The stored state of `environment`; empty when none was stored yet.
    public func load(_ environment: String) throws -> EnvironmentState {
        guard let data = FileManager.default.contents(atPath: path(environment)) else { return EnvironmentState() }
        do {
            return try JSONDecoder().decode(EnvironmentState.self, from: data)
        } catch {
            throw StateError("state file \(path(environment)) is unreadable (\(error)); move it aside to start afresh")
        }
    }

    /// Stores `state` for `environment` atomically.
    public func save(_ state: EnvironmentState, for environment: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(state)
        let target = path(environment)
        let temporary = target + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o640])
        else { throw StateError("cannot write \(temporary); check that the state directory is writable") }
        guard rename(temporary, target) == 0 else {
            throw StateError("cannot replace \(target): \(String(cString: strerror(errno)))")
        }
    }
}

/// The state directory could not be read or written.
public struct StateError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
