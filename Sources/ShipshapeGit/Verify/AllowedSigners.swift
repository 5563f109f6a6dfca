import Foundation

/// The keys of an OpenSSH `allowed_signers` file (ssh-keygen(1) "ALLOWED SIGNERS"): lines of
/// `principals [options] keytype base64-key [comment]`. Options honoured: `namespaces="git,…"`,
/// `valid-after=`/`valid-before=` (YYYYMMDD[HHMM[SS]], UTC unless `Z` is absent). Lines with
/// `cert-authority` are not supported and trust nothing.
struct AllowedSigners {
    struct Entry {
        var principals: String
        var namespaces: [String]?
        var validAfter: Date?
        var validBefore: Date?
        var key: [UInt8]
    }

    var entries: [Entry]

    init(contents: String) {
        entries = []
        for line in contents.split(whereSeparator: \.isNewline) {
            let tokens = Self.tokenize(line)
            guard let principals = tokens.first, !principals.hasPrefix("#"), tokens.count >= 3 else { continue }
            var index = 1
            var options: [String] = []
            if !Self.isKeyType(tokens[index]) {
                options = Self.splitOptions(tokens[index])
                index += 1
            }
            guard index + 1 < tokens.count, Self.isKeyType(tokens[index]), let key = Data(base64Encoded: tokens[index + 1]) else { continue }
            var entry = Entry(principals: principals, namespaces: nil, validAfter: nil, validBefore: nil, key: Array(key))
            var supported = true
            for option in options {
                let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
                let name = parts[0].lowercased()
                let value = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) : ""
                switch name {
                case "namespaces": entry.namespaces = value.split(separator: ",").map(String.init)
                case "valid-after": entry.validAfter = Self.date(value)
                case "valid-before": entry.validBefore = Self.date(value)
                case "cert-authority": supported = false
                default: break
                }
            }
            if supported { entries.append(entry) }
        }
    }

    /// The principals of the first entry that allows `key` to sign in `namespace` at `time`.
    func principals(for key: [UInt8], namespace: String, at time: Date) -> String? {
        entries.first { entry in
            entry.key == key && (entry.namespaces.map { $0.contains(namespace) } ?? true)
                && (entry.validAfter.map { time >= $0 } ?? true) && (entry.validBefore.map { time < $0 } ?? true)
        }?.principals
    }

    private static func isKeyType(_ token: String) -> Bool {
        ["ssh-", "ecdsa-", "sk-"].contains { token.hasPrefix($0) }
    }

    /// Whitespace-separated tokens; double quotes keep spaces together.
    private static func tokenize(_ line: Substring) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" { quoted.toggle() }
            if (character == " " || character == "\t") && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// Comma-separated options, commas inside quotes kept.
    private static func splitOptions(_ text: String) -> [String] {
        var options: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == "," && !quoted {
                options.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { options.append(current) }
        return options
    }

    private static func date(_ text: String) -> Date? {
        var digits = text
        let utc = digits.hasSuffix("Z") || digits.hasSuffix("z")
        if utc { digits.removeLast() }
        let formats = [8: "yyyyMMdd", 12: "yyyyMMddHHmm", 14: "yyyyMMddHHmmss"]
        guard let format = formats[digits.count] else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = utc ? TimeZone(identifier: "UTC") : TimeZone.current
        formatter.dateFormat = format
        return formatter.date(from: digits)
    }
}
