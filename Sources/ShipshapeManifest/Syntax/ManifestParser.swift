import Yams

/// Turns one file's bytes into located node trees (one per YAML document), enforcing the input
/// limits. Problems become diagnostics; a file with a syntax error yields no documents.
struct ManifestParser {
    let limits: ManifestLimits

    func parse(_ source: ManifestSource, diagnostics: inout [Diagnostic]) -> [ManifestNode] {
        let file = source.path
        func refuse(_ message: String, line: Int = 1, column: Int = 1, hint: String) -> [ManifestNode] {
            diagnostics.append(
                Diagnostic(severity: .error, file: file, line: line, column: column, message: message, hint: hint)
            )
            return []
        }
        guard source.contents.count <= limits.maxFileBytes else {
            return refuse(
                "file is larger than the limit of \(limits.maxFileBytes) bytes",
                hint: "split the environment into several files in a folder named after it"
            )
        }
        var bytes = source.contents[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let (line, column) = Self.firstInvalidUTF8(bytes) {
            return refuse(
                "file is not valid UTF-8 text",
                line: line,
                column: column,
                hint: "save the file as UTF-8; binary files do not belong in the manifests folder"
            )
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let (line, column, scalar) = Self.firstControlCharacter(text) {
            return refuse(
                "file contains the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)), so it is not a text manifest",
                line: line,
                column: column,
                hint: "remove the character; binary files do not belong in the manifests folder"
            )
        }
        if let finding = InputScreen(limits: limits).check(text) {
            return refuse(finding.message, line: finding.line, column: finding.column, hint: finding.hint)
        }

        var documents: [ManifestNode] = []
        do {
            let parser = try Parser(yaml: text, resolver: .basic)
            // The parser owns the anchors; keep it alive while converting so alias reuse is visible.
            var converter = NodeConverter(file: file, limits: limits)
            while let root = try parser.nextRoot() {
                converter.resetBudget()
                documents.append(try converter.convert(root, depth: 1))
            }
            withExtendedLifetime(parser) {}
        } catch let error as YamlError {
            diagnostics.append(Self.diagnostic(for: error, file: file, text: text))
            return []
        } catch let error as NodeConverter.Failure {
            diagnostics.append(Diagnostic(.error, error.message, at: error.location, hint: error.hint))
            return []
        } catch {
            return refuse("could not read the file: \(error)", hint: "check that the file is a YAML manifest")
        }
        return documents
    }

    private static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> (Int, Int)? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        // Find the first byte that breaks decoding, to point at it.
        var line = 1
        var column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return (line, column)
            case .error:
                return (line, column)
            }
        }
    }

    /// The first C0 control character (other than tab, LF, CR), DEL, U+FFFE or U+FFFF, scanning
    /// bytes (valid UTF-8 is assumed) and counting columns in Unicode scalars.
    private static func firstControlCharacter(_ text: String) -> (Int, Int, Unicode.Scalar)? {
        var line = 1
        var lineStart = 0
        let bytes = Array(text.utf8)
        func position(_ index: Int) -> Int {
            1 + bytes[lineStart..<index].count { $0 & 0xC0 != 0x80 }
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x0A:
                line += 1
                lineStart = index + 1
            case 0x09, 0x0D:
                break
            case 0x00..<0x20, 0x7F:
                return (line, position(index), Unicode.Scalar(byte))
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBF && (bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF):
                return (line, position(index), bytes[index + 2] == 0xBE ? "\u{FFFE}" : "\u{FFFF}")
            default:
                break
            }
            index += 1
        }
        return nil
    }

    static func diagnostic(for error: YamlError, file: String, text: String) -> Diagnostic {
        func make(_ problem: String, _ mark: Mark?, hint: String) -> Diagnostic {
            Diagnostic(
                severity: .error,
                file: file,
                line: max(mark?.line ?? 1, 1),
                column: max(mark?.column ?? 1, 1),
                message: "YAML syntax error: \(problem)",
                hint: hint
            )
        }
        let syntaxHint = "check the indentation and quoting at this position"
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return make(detail, mark, hint: syntaxHint)
        case .reader(let problem, let offset, _, _):
            let position = offset.map { Self.position(atUTF8Offset: $0, in: text) }
            return Diagnostic(
                severity: .error,
                file: file,
                line: position?.line ?? 1,
                column: position?.column ?? 1,
                message: "YAML syntax error: \(problem)",
                hint: "the file must be UTF-8 text"
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let second = Self.secondOccurrence(of: key, after: context.mark, in: text)
            return Diagnostic(
                severity: .error,
                file: file,
                line: second?.line ?? context.mark.line,
                column: second?.column ?? context.mark.column,
                message: "duplicate key '\(key)' (first defined at line \(context.mark.line))",
                hint: "a key may appear once per mapping; remove or merge the duplicate"
            )
        case .memory:
            return make("out of memory", nil, hint: "the file is too large or too deeply nested")
        default:
            return make("\(error)", nil, hint: syntaxHint)
        }
    }

    private static func position(atUTF8Offset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var lastLineStart = 0
        for (index, byte) in text.utf8.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lastLineStart = index + 1
        }
        return (line, offset - lastLineStart + 1)
    }

    /// Yams reports the first occurrence of a duplicate key; the diagnostic is more useful on the
    /// second one. Looks for `key:` at the same column on a later line.
    private static func secondOccurrence(of key: String, after mark: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        for (offset, line) in lines.dropFirst(mark.line).enumerated() {
            let scalars = Array(line)
            let start = mark.column - 1
            guard start >= 0, start < scalars.count else { continue }
            let rest = String(String.UnicodeScalarView(scalars[start...]))
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(candidate) {
                let after = rest.dropFirst(candidate.count).drop { $0 == " " }
                if after.hasPrefix(":") {
                    let prefix = scalars[..<start]
                    if prefix.allSatisfy({ $0 == " " || $0 == "-" }) {
                        return (mark.line + offset + 1, mark.column)
                    }
                }
            }
        }
        return nil
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
