/// A cheap textual pass over a manifest before it reaches the YAML composer.
///
/// The composer recurses once per nesting level and hashes mapping keys (whole subtrees for complex
/// keys), so a hostile file could overflow the stack or make it hash an alias bomb. This pass
/// estimates the nesting depth and counts alias uses without building anything, and refuses the
/// shapes that would be expensive. Its depth estimate is an upper bound for the usual layouts
/// (block indentation, `- ` prefixes, flow brackets), which is what a refusal needs.
struct InputScreen {
    struct Finding: Sendable, Hashable {
        var message: String
        var hint: String
        var line: Int
        var column: Int
    }

    let limits: ManifestLimits

    func check(_ text: String) -> Finding? {
        var indentStack: [Int] = []
        var flowDepth = 0
        var aliasCount = 0
        var complexKey: (line: Int, column: Int)?
        var inDouble = false
        var inSingle = false
        var blockScalarIndent: Int?
        var lineNumber = 0

        for rawLine in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(rawLine)
            var indent = 0
            while indent < line.count, line[indent] == " " { indent += 1 }
            let blank = indent == line.count || line[indent] == "#" || line[indent] == "\r"
            if let scalarIndent = blockScalarIndent {
                if blank || indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            if blank && !inDouble && !inSingle { continue }

            var dashes = 0
            var column = indent
            if !inDouble && !inSingle && flowDepth == 0 {
                while let popped = indentStack.last, popped >= indent { _ = popped; indentStack.removeLast() }
                indentStack.append(indent)
                // `- - - value`: each dash opens a sequence level on the same line.
                while column + 1 < line.count, line[column] == "-", line[column + 1] == " " {
                    dashes += 1
                    column += 2
                    while column < line.count, line[column] == " " { column += 1 }
                }
                if column < line.count, line[column] == "?", column + 1 == line.count || line[column + 1] == " " {
                    complexKey = complexKey ?? (lineNumber, column + 1)
                }
            }

            var deepestFlow = flowDepth
            var previous: Unicode.Scalar = " "
            var lastSignificant: Unicode.Scalar = " "
            var index = column
            while index < line.count {
                let character = line[index]
                if inDouble {
                    if character == "\\" {
                        index += 2
                        continue
                    }
                    if character == "\"" { inDouble = false }
                } else if inSingle {
                    if character == "'" {
                        if index + 1 < line.count, line[index + 1] == "'" {
                            index += 2
                            continue
                        }
                        inSingle = false
                    }
                } else {
                    let atTokenStart = Self.separators.contains(previous)
                    switch character {
                    case "#" where previous == " " || previous == "\t":
                        index = line.count
                        continue
                    case "\"" where atTokenStart:
                        inDouble = true
                    case "'" where atTokenStart:
                        inSingle = true
                    case "[", "{":
                        if atTokenStart {
                            flowDepth += 1
                            deepestFlow = max(deepestFlow, flowDepth)
                        }
                    case "]", "}":
                        if flowDepth > 0 {
                            flowDepth -= 1
                            if Self.followedByKeyIndicator(line, after: index) {
                                complexKey = complexKey ?? (lineNumber, index + 1)
                            }
                        }
                    case "*" where atTokenStart:
                        aliasCount += 1
                        if aliasCount > limits.maxAliases {
                            return Finding(
                                message: "the document uses more than \(limits.maxAliases) aliases",
                                hint: "write the values out or use fewer anchors; the alias limit bounds expansion",
                                line: lineNumber,
                                column: index + 1
                            )
                        }
                        var end = index + 1
                        while end < line.count, !Self.aliasTerminators.contains(line[end]) { end += 1 }
                        if Self.followedByKeyIndicator(line, after: end - 1) {
                            complexKey = complexKey ?? (lineNumber, index + 1)
                        }
                        index = end
                        previous = "a"
                        continue
                    default:
                        break
                    }
                    if character != " " { lastSignificant = character }
                }
                previous = character
                index += 1
            }
            if !inDouble && !inSingle && flowDepth == 0, lastSignificant == "|" || lastSignificant == ">"
                || Self.endsWithBlockScalarHeader(line)
            {
                blockScalarIndent = indent
            }

            let depth = indentStack.count + dashes + deepestFlow
            if depth > limits.maxDepth {
                return Finding(
                    message: "nesting deeper than \(limits.maxDepth) levels",
                    hint: "manifests need only a few levels; this input looks generated or hostile",
                    line: lineNumber,
                    column: indent + 1
                )
            }
        }
        if aliasCount > 0, let complexKey {
            return Finding(
                message: "complex mapping keys (explicit `?`, collections or aliases as keys) are not supported together with aliases",
                hint: "use plain strings as keys",
                line: complexKey.line,
                column: complexKey.column
            )
        }
        return nil
    }

    private static let separators: Set<Unicode.Scalar> = [" ", "\t", "[", "{", ",", ":", "-", "?"]
    private static let aliasTerminators: Set<Unicode.Scalar> = [" ", "\t", ",", "]", "}", "\r"]

    private static func followedByKeyIndicator(_ line: [Unicode.Scalar], after index: Int) -> Bool {
        var next = index + 1
        while next < line.count, line[next] == " " { next += 1 }
        guard next < line.count, line[next] == ":" else { return false }
        return next + 1 == line.count || line[next + 1] == " " || line[next + 1] == "\r"
    }

    /// `key: |-`, `key: >2`, `- |+`: a block scalar header with indicators at the end of the line.
    private static func endsWithBlockScalarHeader(_ line: [Unicode.Scalar]) -> Bool {
        var end = line.count
        while end > 0, line[end - 1] == " " || line[end - 1] == "\r" { end -= 1 }
        var index = end
        while index > 0, "+-0123456789".unicodeScalars.contains(line[index - 1]) { index -= 1 }
        guard index > 0, line[index - 1] == "|" || line[index - 1] == ">" else { return false }
        return index - 1 == 0 || line[index - 2] == " "
    }
}
