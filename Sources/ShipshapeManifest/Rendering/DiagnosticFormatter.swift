/// Renders diagnostics for people and for machines: compiler-style text with the offending line
/// and a caret, JSON, and GitHub Actions workflow annotations.
public enum DiagnosticFormatter {
    /// Compiler-style text. With `sources`, each diagnostic shows the offending source line and a
    /// caret under the column:
    ///
    ///     prod.yaml:12:15: error: invalid port '70000' in services.api.ports[0]: …
    ///        12 |       ports: ["127.0.0.1:70000:8080"]
    ///           |               ^
    ///           = hint: …
    ///
    /// Ends with a summary line (`2 errors, 1 warning`) when there is any diagnostic.
    public static func text(_ diagnostics: [Diagnostic], sources: [ManifestSource] = []) -> String {
        var linesByFile: [String: [String]] = [:]
        for source in sources {
            let text = String(decoding: source.contents, as: UTF8.self)
            linesByFile[source.path] = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
                String(String.UnicodeScalarView($0))
            }
        }
        var output = ""
        for diagnostic in diagnostics {
            output += "\(diagnostic.file):\(diagnostic.line):\(diagnostic.column): \(diagnostic.severity.rawValue): \(diagnostic.message)\n"
            let gutterWidth = String(diagnostic.line).count + 4
            let gutter = String(repeating: " ", count: gutterWidth)
            if let lines = linesByFile[diagnostic.file], diagnostic.line >= 1, diagnostic.line <= lines.count {
                var scalars = Array(lines[diagnostic.line - 1].unicodeScalars.prefix(200))
                if scalars.last == "\r" { scalars.removeLast() }
                let shown = String(String.UnicodeScalarView(scalars))
                output += String(repeating: " ", count: 3) + "\(diagnostic.line) | \(sanitized(shown))\n"
                var caret = ""
                for scalar in shown.unicodeScalars.prefix(max(diagnostic.column - 1, 0)) {
                    caret.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
                }
                output += "\(gutter)| \(caret)^\n"
            }
            if let hint = diagnostic.hint {
                output += "\(gutter)= hint: \(hint)\n"
            }
        }
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count - errors
        if !diagnostics.isEmpty {
            output += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        }
        return output
    }

    /// A JSON array of objects with `severity`, `file`, `line`, `column`, `message` and (when
    /// present) `hint`, one object per line, in the given order.
    public static func json(_ diagnostics: [Diagnostic]) -> String {
        guard !diagnostics.isEmpty else { return "[]\n" }
        let objects = diagnostics.map { diagnostic in
            var fields = [
                "\"severity\":\(jsonString(diagnostic.severity.rawValue))",
                "\"file\":\(jsonString(diagnostic.file))",
                "\"line\":\(diagnostic.line)",
                "\"column\":\(diagnostic.column)",
                "\"message\":\(jsonString(diagnostic.message))",
            ]
            if let hint = diagnostic.hint { fields.append("\"hint\":\(jsonString(hint))") }
            return "  {" + fields.joined(separator: ",") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// GitHub Actions workflow commands, one per line:
    /// `::error file=manifests/prod.yaml,line=12,col=15,title=shipshape::message (hint)`.
    /// `pathPrefix` is prepended to each file (the manifests folder's path in the repository, such as
    /// `manifests/`), so the annotation lands on the right file of the pull request.
    public static func githubAnnotations(_ diagnostics: [Diagnostic], pathPrefix: String = "") -> String {
        var output = ""
        for diagnostic in diagnostics {
            let command = diagnostic.severity == .error ? "error" : "warning"
            var message = diagnostic.message
            if let hint = diagnostic.hint { message += " (hint: \(hint))" }
            let properties = [
                "file=\(escapeProperty(pathPrefix + diagnostic.file))",
                "line=\(diagnostic.line)",
                "col=\(diagnostic.column)",
                "title=shipshape",
            ]
            output += "::\(command) \(properties.joined(separator: ","))::\(escapeData(message))\n"
        }
        return output
    }

    // MARK: Escaping

    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Workflow command data: `%`, CR and LF are percent-encoded.
    static func escapeData(_ text: String) -> String {
        escape(text, also: [])
    }

    /// Workflow command properties also encode `:` and `,`.
    static func escapeProperty(_ text: String) -> String {
        escape(text, also: [":", ","])
    }

    private static func escape(_ text: String, also extra: Set<Unicode.Scalar>) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            case _ where extra.contains(scalar):
                result += "%" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Replaces control characters so a hostile line cannot drive the terminal.
    static func sanitized(_ line: String) -> String {
        var result = ""
        for scalar in line.unicodeScalars {
            if scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80..<0xA0).contains(scalar.value)) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\u{FFFD}"
            }
        }
        return result
    }
}
