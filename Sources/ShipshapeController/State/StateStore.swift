public import Foundation
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
    /// Reconciliation is suspended (`shipshape suspend`); survives restarts.
    public var suspended: Bool = false
    /// A revision pinned by `shipshape rollback`: reconciled instead of the branch tip until
    /// `shipshape unpin`.
    public var pinnedRevision: String?
    /// Ids of plans a human approved (`shipshape approve`), newest last; bounded.
    public var approvedPlans: [String] = []
    /// The plan waiting for approval (or a maintenance window), if any.
    public var pendingApproval: PendingApproval?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case lastAppliedRevision, appliedFingerprints, failedRevision, failedReason, suspended, pinnedRevision
        case approvedPlans, pendingApproval
    }

    public init(from decoder: any Decoder) throws {
        // Every field is optional on disk, so state written by an older version still reads.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lastAppliedRevision = try container.decodeIfPresent(String.self, forKey: .lastAppliedRevision)
        appliedFingerprints = try container.decodeIfPresent([String: String].self, forKey: .appliedFingerprints) ?? [:]
        failedRevision = try container.decodeIfPresent(String.self, forKey: .failedRevision)
        failedReason = try container.decodeIfPresent(String.self, forKey: .failedReason)
        suspended = try container.decodeIfPresent(Bool.self, forKey: .suspended) ?? false
        pinnedRevision = try container.decodeIfPresent(String.self, forKey: .pinnedRevision)
        approvedPlans = try container.decodeIfPresent([String].self, forKey: .approvedPlans) ?? []
        pendingApproval = try container.decodeIfPresent(PendingApproval.self, forKey: .pendingApproval)
    }
}

/// A plan held back because it has disruptive changes (or the policy approves every plan).
public struct PendingApproval: Sendable, Codable, Hashable {
    /// Stable id of the held changes: the same changes at the same revision keep the id; any change
    /// of inputs makes a new one, which needs a new approval.
    public var id: String
    public var revision: String
    /// One line per held change, `ACTION KIND/NAME (reason)`.
    public var changes: [String]
    /// Why the changes wait: `approval` or `maintenance-window`.
    public var waitingFor: String
    public var since: Date

    public init(id: String, revision: String, changes: [String], waitingFor: String, since: Date) {
        self.id = id
        self.revision = revision
        self.changes = changes
        self.waitingFor = waitingFor
        self.since = since
    }
}

/// Keeps per-environment state as JSON files in the state directory.
///
/// Writes go to a temporary file that is synced to disk and renamed over the old one (and the
/// directory is synced after the rename), so a crash or a power loss never leaves a torn file
/// behind, and a write that returned is on disk.
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
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(EnvironmentState.self, from: data)
        } catch {
            throw StateError("state file \(path(environment)) is unreadable (\(error)); move it aside to start afresh")
        }
    }

    /// Stores `state` for `environment` atomically.
    public func save(_ state: EnvironmentState, for environment: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try writeAtomically(try encoder.encode(state), to: path(environment))
    }

    /// Loads, changes and saves the state of `environment` in one step (no interleaving: the store
    /// is an actor).
    @discardableResult
    public func update(_ environment: String, _ change: (inout EnvironmentState) throws -> Void) throws
        -> EnvironmentState
    {
        var state = try load(environment)
        try change(&state)
        try save(state, for: environment)
        return state
    }

    // MARK: History

    /// How many cycles the history keeps per environment.
    public static let historyLimit = 500

    private func historyPath(_ environment: String) -> String {
        "\(directory)/environments/\(environment).history.jsonl"
    }

    /// Appends a cycle to the environment's history (JSON lines), keeping the newest `historyLimit`.
    public func appendHistory(_ entry: HistoryEntry, for environment: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        var line = try encoder.encode(entry)
        line.append(UInt8(ascii: "\n"))
        let file = historyPath(environment)
        if !FileManager.default.fileExists(atPath: file) {
            _ = FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o640])
        }
        guard let handle = FileHandle(forWritingAtPath: file) else {
            throw StateError("cannot write \(file); check that the state directory is writable")
        }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
        let size = try handle.offset()
        try handle.close()
        // Compact when the file holds about twice the limit (a cycle line is a few hundred bytes).
        if size > UInt64(Self.historyLimit * 2 * 400) {
            let kept = try history(environment, limit: Self.historyLimit)
            var data = Data()
            for entry in kept {
                data.append(try encoder.encode(entry))
                data.append(UInt8(ascii: "\n"))
            }
            try writeAtomically(data, to: file)
        }
    }

    /// The newest `limit` cycles of the environment, oldest first.
    public func history(_ environment: String, limit: Int = historyLimit) throws -> [HistoryEntry] {
        guard let data = FileManager.default.contents(atPath: historyPath(environment)) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let lines = data.split(separator: UInt8(ascii: "\n"))
        // A torn last line (a crash mid-append) is skipped, not fatal.
        let entries = lines.suffix(limit).compactMap { try? decoder.decode(HistoryEntry.self, from: Data($0)) }
        return entries
    }

    // MARK: Apply journal

    private func journalPath(_ environment: String) -> String {
        "\(directory)/environments/\(environment).journal.json"
    }

    /// The journal of the apply in progress (or cut short) for `environment`; nil when none is.
    public func journal(_ environment: String) throws -> ApplyJournalRecord? {
        guard let data = FileManager.default.contents(atPath: journalPath(environment)) else { return nil }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(ApplyJournalRecord.self, from: data)
        } catch {
            throw StateError("apply journal \(journalPath(environment)) is unreadable (\(error))")
        }
    }

    /// Stores the journal of `environment` durably (synced before this returns).
    public func saveJournal(_ record: ApplyJournalRecord, for environment: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try writeAtomically(try encoder.encode(record), to: journalPath(environment))
    }

    /// Changes the stored journal of `environment`; an error when there is none.
    public func updateJournal(_ environment: String, _ change: (inout ApplyJournalRecord) -> Void) throws {
        guard var record = try journal(environment) else {
            throw StateError("no apply journal for \(environment) at \(journalPath(environment))")
        }
        change(&record)
        try saveJournal(record, for: environment)
    }

    /// Removes the journal of `environment`: its apply is over.
    public func removeJournal(_ environment: String) throws {
        let path = journalPath(environment)
        guard unlink(path) == 0 || errno == ENOENT else {
            throw StateError("cannot remove \(path): \(String(cString: strerror(errno)))")
        }
        try syncDirectory(of: path)
    }

    // MARK: Durable writes

    private func writeAtomically(_ data: Data, to target: String) throws {
        let temporary = target + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw StateError(
                "cannot write \(temporary): \(String(cString: strerror(errno))); check that the state directory is writable")
        }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(temporary)
            throw StateError("cannot write \(temporary): \(failure); check that the state directory is writable")
        }
        guard rename(temporary, target) == 0 else {
            throw StateError("cannot replace \(target): \(String(cString: strerror(errno)))")
        }
        try syncDirectory(of: target)
    }

    /// Syncs the directory holding `path`, so that a rename or unlink in it is on disk.
    private func syncDirectory(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StateError("cannot open \(folder): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StateError("cannot sync \(folder): \(String(cString: strerror(errno)))") }
    }
}

/// One reconcile cycle, as `shipshape history` shows it.
public struct HistoryEntry: Sendable, Codable, Hashable {
    public var time: Date
    public var revision: String
    /// `success`, `failure`, `invalid` or `skipped`; `interrupted` for an apply a crash cut short
    /// (recorded by the controller that started next).
    public var result: String
    /// The plan's summary line, when a plan was made.
    public var plan: String?
    public var durationSeconds: Double
    /// Why it failed or was held; never contains secrets.
    public var message: String?

    public init(time: Date, revision: String, result: String, plan: String?, durationSeconds: Double, message: String?) {
        self.time = time
        self.revision = revision
        self.result = result
        self.plan = plan
        self.durationSeconds = durationSeconds
        self.message = message
    }
}

/// The state directory could not be read or written.
public struct StateError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
