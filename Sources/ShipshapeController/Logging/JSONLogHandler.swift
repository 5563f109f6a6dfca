import Foundation
public import Logging

/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    /// Human text (swift-log's stream handler).
    case text
    /// One JSON object per line (for journald and log shippers).
    case json
    /// JSON when stderr is not a terminal, text when it is.
    case auto
}

/// Bootstraps swift-log once for the executable.
public enum LoggingSetup {
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        let useJSON: Bool
        switch format {
        case .text: useJSON = false
        case .json: useJSON = true
        case .auto: useJSON = isatty(STDERR_FILENO) == 0
        }
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                useJSON ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// Writes each log record as one line of JSON to standard error:
/// `{"ts":"…","level":"info","msg":"…","env":"prod","revision":"…",…}`.
///
/// Metadata keys are written as they are (dotted keys such as `reconcile.id` stay dotted).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = "\(value)" }
        if let provided = metadataProvider?.get() {
            for (key, value) in provided { fields[key] = "\(value)" }
        }
        if let extra = event.metadata {
            for (key, value) in extra { fields[key] = "\(value)" }
        }
        var line = "{\"ts\":\(Self.quote(Self.timestamp()))"
        line += ",\"level\":\(Self.quote(event.level.rawValue))"
        line += ",\"logger\":\(Self.quote(label))"
        line += ",\"msg\":\(Self.quote("\(event.message)"))"
        for key in fields.keys.sorted() where !["ts", "level", "logger", "msg"].contains(key) {
            line += ",\(Self.quote(key)):\(Self.quote(fields[key]!))"
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// A JSON string literal for `text`.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
