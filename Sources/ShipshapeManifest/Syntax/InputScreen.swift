/// A cheap textual pass over a manifest before it reaches the YAML composer.
///
/// The composer recurses once per nesting level and hashes mapping keys (whole subtrees for complex
/// keys), so a hostile file could overflow the stack or make it hash an alias bomb. This pass
/// estimates the nesting depth and counts alias uses without building anything, and refuses the
/// shapes that would be expensive. Its depth estimate is an upper bound for the usual layouts
/// (block indentation, `- ` prefixes, flow brackets), which is what a refusal needs.
///
/// It works on UTF-8 bytes: every character it looks for is ASCII, and multi-byte sequences never
/// contain ASCII bytes. Columns in findings count Unicode scalars, like the parser's.
struct InputScreen {
    struct Finding: Sendable, Hashable {
        var message: String
        var hint: String
        var line: Int
        var column: Int
    }

    let limits: ManifestLimits

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let newline = UInt8(ascii: "\n")

    func check(_ text: String) -> Finding? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { check($0) }
    }

    private func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Finding? {
        var indentStack: [Int] = []
        var flowDepth = 0
        var aliasCount = 0
        var complexKey: (line: Int, column: Int)?
        var inDouble = false
        var inSingle = false
        var blockScalarIndent: Int?
        var lineNumber = 0
        var lineStart = 0

        func column(_ lineStart: Int, _ index: Int) -> Int {
            // Unicode scalars before `index` on the line, plus one: count non-continuation bytes.
            var count = 1
            var position = lineStart
            while position < index {
                if bytes[position] & 0xC0 != 0x80 { count += 1 }
                position += 1
            }
            return count
        }

        while lineStart <= bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != Self.newline { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }

            var indent = 0
            while lineStart + indent < lineEnd, bytes[lineStart + indent] == Self.space { indent += 1 }
            let first = lineStart + indent
            let blank = first == lineEnd || bytes[first] == UInt8(ascii: "#") || bytes[first] == Self.carriageReturn
            if let scalarIndent = blockScalarIndent {
                if blank || indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            if blank && !inDouble && !inSingle { continue }

            var dashes = 0
            var index = first
            if !inDouble && !inSingle && flowDepth == 0 {
                while let top = indentStack.last, top >= indent { indentStack.removeLast() }
                indentStack.append(indent)
                // `- - - value`: each dash opens a sequence level on the same line.
                while index + 1 < lineEnd, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == Self.space {
                    dashes += 1
                    index += 2
                    while index < lineEnd, bytes[index] == Self.space { index += 1 }
                }
                if index < lineEnd, bytes[index] == UInt8(ascii: "?"), index + 1 == lineEnd || bytes[index + 1] == Self.space {
                    complexKey = complexKey ?? (lineNumber, column(lineStart, index))
                }
            }

            var deepestFlow = flowDepth
            var previous = Self.space
            var lastSignificant = Self.space
            while index < lineEnd {
                let byte = bytes[index]
                if inDouble {
                    if byte == UInt8(ascii: "\\") {
                        index += 2
                        continue
                    }
                    if byte == UInt8(ascii: "\"") { inDouble = false }
                } else if inSingle {
                    if byte == UInt8(ascii: "'") {
                        if index + 1 < lineEnd, bytes[index + 1] == UInt8(ascii: "'") {
                            index += 2
                            continue
                        }
                        inSingle = false
                    }
                } else {
                    let atTokenStart = Self.isSeparator(previous)
                    switch byte {
                    case UInt8(ascii: "#") where previous == Self.space || previous == Self.tab:
                        index = lineEnd
                        continue
                    case UInt8(ascii: "\"") where atTokenStart:
                        inDouble = true
                    case UInt8(ascii: "'") where atTokenStart:
                        inSingle = true
                    case UInt8(ascii: "["), UInt8(ascii: "{"):
                        if atTokenStart {
                            flowDepth += 1
                            deepestFlow = max(deepestFlow, flowDepth)
                        }
                    case UInt8(ascii: "]"), UInt8(ascii: "}"):
                        if flowDepth > 0 {
                            flowDepth -= 1
                            if Self.followedByKeyIndicator(bytes, after: index, end: lineEnd) {
                                complexKey = complexKey ?? (lineNumber, column(lineStart, index))
                            }
                        }
                    case UInt8(ascii: "*") where atTokenStart:
                        aliasCount += 1
                        if aliasCount > limits.maxAliases {
                            return Finding(
                                message: "the document uses more than \(limits.maxAliases) aliases",
                                hint: "write the values out or use fewer anchors; the alias limit bounds expansion",
                                line: lineNumber,
                                column: column(lineStart, index)
                            )
                        }
                        var end = index + 1
                        while end < lineEnd, !Self.endsAlias(bytes[end]) { end += 1 }
                        if Self.followedByKeyIndicator(bytes, after: end - 1, end: lineEnd) {
                            complexKey = complexKey ?? (lineNumber, column(lineStart, index))
                        }
                        index = end
                        previous = UInt8(ascii: "a")
                        continue
                    default:
                        break
                    }
                    if byte != Self.space { lastSignificant = byte }
                }
                previous = byte
                index += 1
            }
            if !inDouble && !inSingle && flowDepth == 0,
                lastSignificant == UInt8(ascii: "|") || lastSignificant == UInt8(ascii: ">")
                    || Self.endsWithBlockScalarHeader(bytes, start: lineStart, end: lineEnd)
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

    private static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case space, tab, UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "-"),
            UInt8(ascii: "?"):
            true
        default:
            false
        }
    }

    private static func endsAlias(_ byte: UInt8) -> Bool {
        switch byte {
        case space, tab, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), carriageReturn: true
        default: false
        }
    }

    private static func followedByKeyIndicator(_ bytes: UnsafeBufferPointer<UInt8>, after index: Int, end: Int) -> Bool {
        var next = index + 1
        while next < end, bytes[next] == space { next += 1 }
        guard next < end, bytes[next] == UInt8(ascii: ":") else { return false }
        return next + 1 == end || bytes[next + 1] == space || bytes[next + 1] == carriageReturn
    }

    /// `key: |-`, `key: >2`, `- |+`: a block scalar header with indicators at the end of the line.
    private static func endsWithBlockScalarHeader(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Bool {
        var last = end
        while last > start, bytes[last - 1] == space || bytes[last - 1] == carriageReturn { last -= 1 }
        var index = last
        while index > start, bytes[index - 1] == UInt8(ascii: "+") || bytes[index - 1] == UInt8(ascii: "-") || bytes[index - 1].isASCIIDigit {
            index -= 1
        }
        guard index > start, bytes[index - 1] == UInt8(ascii: "|") || bytes[index - 1] == UInt8(ascii: ">") else { return false }
        return index - 1 == start || bytes[index - 2] == space
    }
}
