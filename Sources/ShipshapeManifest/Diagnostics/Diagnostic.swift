/// One problem found in the manifests: where it is, what is wrong and what to do about it.
///
/// Diagnostics are collected, never thrown: one run reports every problem of every file.
/// `line` and `column` start at 1; `column` counts Unicode scalars, as YAML does.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How bad a problem is. An environment with any `.error` is not applied; warnings are reported only.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        /// The environment is not applied.
        case error
        /// Reported only.
        case warning

        /// Errors sort before warnings.
        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    /// `.error` blocks the environment; `.warning` does not.
    public var severity: Severity
    /// Path of the file, relative to the manifests root (as given in `ManifestSource.path`).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int
    /// What is wrong, naming the resource and field.
    public var message: String
    /// What to do about it, when there is something specific to say.
    public var hint: String?

    /// Creates a diagnostic.
    public init(severity: Severity, file: String, line: Int, column: Int, message: String, hint: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    /// `file:line:column: error: message (hint)`, the format compilers use.
    public var description: String {
        var text = "\(file):\(line):\(column): \(severity.rawValue): \(message)"
        if let hint {
            text += " (hint: \(hint))"
        }
        return text
    }

    /// Orders by file, line, column, then errors before warnings, then message.
    static func sortsBefore(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
        if lhs.file != rhs.file { return lhs.file < rhs.file }
        if lhs.line != rhs.line { return lhs.line < rhs.line }
        if lhs.column != rhs.column { return lhs.column < rhs.column }
        if lhs.severity != rhs.severity { return lhs.severity < rhs.severity }
        return lhs.message < rhs.message
    }
}

extension Diagnostic {
    init(_ severity: Severity, _ message: String, at location: ManifestLocation, hint: String? = nil) {
        self.init(
            severity: severity,
            file: location.file,
            line: location.line,
            column: location.column,
            message: message,
            hint: hint
        )
    }
}

extension [Diagnostic] {
    /// Sorted by file, line, column with exact duplicates removed.
    func sortedUnique() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        return self.filter { seen.insert($0).inserted }.sorted(by: Diagnostic.sortsBefore)
    }

    /// True when at least one diagnostic is an error.
    var containsError: Bool { contains { $0.severity == .error } }
}
