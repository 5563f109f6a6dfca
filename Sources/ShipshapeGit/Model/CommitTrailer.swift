import Foundation

/// One `Key: value` trailer at the end of a commit message, as `git interpret-trailers` reads them
/// (e.g. `Signed-off-by: …`, `Approve-Plan: plan-0123456789ab`).
public struct CommitTrailer: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The trailers of `message`: its last paragraph when every line of it is a trailer (a token of
    /// letters, digits and `-`, a colon, a value) or an indented continuation of the line before.
    /// A message with a single paragraph (only a subject) has no trailers. Keys keep their case;
    /// compare them case-insensitively, as git does.
    public static func parse(_ message: String) -> [CommitTrailer] {
        // `\r\n` is one Character in Swift, and a newline like `\n`.
        let lines = message.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var end = lines.count
        while end > 0 && lines[end - 1].allSatisfy(\.isWhitespace) { end -= 1 }
        var start = end
        while start > 0 && !lines[start - 1].allSatisfy(\.isWhitespace) { start -= 1 }
        // The subject paragraph is never a trailer block.
        guard start > 0, start < end else { return [] }
        var trailers: [CommitTrailer] = []
        for line in lines[start..<end] {
            if let first = line.first, first == " " || first == "\t" {
                guard !trailers.isEmpty else { return [] }
                trailers[trailers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { return [] }
            let key = line[..<colon]
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return [] }
            trailers.append(
                CommitTrailer(key: String(key), value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return trailers
    }
}
