import Foundation

/// A secret read from a file (a token, a webhook secret, a Slack webhook URL).
///
/// Its `description` is a fixed placeholder, so interpolating it into a log line, an error or a
/// status document cannot leak it; only `reveal()` gives the value, for the one header or URL that
/// needs it.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    /// Wraps `value`; surrounding whitespace (a file's trailing newline) is removed.
    public init(_ value: String) {
        self.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Reads the secret in `path`. `purpose` says what it is for, for the error message, which names
    /// the file but never its contents.
    public static func read(file path: String, purpose: String) throws -> SecretValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(
                "\(purpose): cannot read the secret file \(path); create it (mode 0640, readable by the service user) or fix the path"
            )
        }
        let secret = SecretValue(String(decoding: data, as: UTF8.self))
        guard !secret.value.isEmpty else {
            throw ConfigurationError("\(purpose): the secret file \(path) is empty")
        }
        return secret
    }

    /// The secret itself. Use it only where it must go on the wire.
    public func reveal() -> String { value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// `text` with every occurrence of the secret replaced by `<redacted>`, for text that came back
    /// from a remote server (which may echo what it was sent).
    public func scrub(_ text: String) -> String {
        guard !value.isEmpty else { return text }
        return text.replacingOccurrences(of: value, with: "<redacted>")
    }
}
