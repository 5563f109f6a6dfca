import Foundation

/// Reads secrets (tokens, webhook secrets) from files named in the configuration. The value never
/// appears in an error: only the file's path and the setting's name do.
public enum SecretFile {
    /// The file's contents without surrounding white space; `what` names the setting in errors.
    public static func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(what): cannot read \(path) (missing, or not readable by this user)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw ConfigurationError("\(what): \(path) is empty") }
        return value
    }
}
