import Logging
import Synchronization

/// A log handler that keeps every message and its metadata in memory, so tests can assert what was
/// logged (and that a secret never was).
struct RecordingLogHandler: LogHandler {
    final class Store: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
        var text: String { all.joined(separator: "\n") }
    }

    let store: Store
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.append("\(event.level) \(event.message) \(fields)")
    }

    /// A logger writing to a fresh store.
    static func logger(_ label: String = "test") -> (Logger, Store) {
        let store = Store()
        var logger = Logger(label: label) { _ in RecordingLogHandler(store: store) }
        logger.logLevel = .trace
        return (logger, store)
    }
}
