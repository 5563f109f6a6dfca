extension ImageReference {
    /// Why a string is not an image reference.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong with the reference.
        public var reason: String
        public var description: String { reason }
    }

    /// Parses `[registry/]repository[:tag][@digest]` following the Docker distribution grammar:
    /// the first path component is a registry when it contains `.` or `:` or is `localhost`;
    /// repository components are lowercase `[a-z0-9]` separated by `.`, `_`, `__` or dashes; a tag is
    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`; a digest is `algorithm:hex` (`sha256` needs 64 hex digits).
    public init(parsing text: String) throws(ParseError) {
        guard !text.isEmpty else { throw ParseError(reason: "the image reference is empty") }
        guard text.count <= 512, text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 }) else {
            throw ParseError(reason: "'\(text.prefix(80))' contains spaces, control or non-ASCII characters")
        }
        var rest = Substring(text)
        var digest: String?
        if let at = rest.lastIndex(of: "@") {
            let candidate = String(rest[rest.index(after: at)...])
            try Self.validateDigest(candidate)
            digest = candidate
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let candidate = String(rest[rest.index(after: colon)...])
            try Self.validateTag(candidate)
            tag = candidate
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var registry: String?
        if components.count > 1, let first = components.first,
            first.contains(".") || first.contains(":") || first == "localhost"
        {
            try Self.validateRegistry(first)
            registry = first
            components.removeFirst()
        }
        guard !components.isEmpty else { throw ParseError(reason: "'\(text)' names no repository") }
        for component in components {
            try Self.validatePathComponent(component, in: text)
        }
        let repository = components.joined(separator: "/")
        guard (registry.map { $0.count + 1 } ?? 0) + repository.count <= 255 else {
            throw ParseError(reason: "the image name is longer than 255 characters")
        }
        self.init(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    static func validateTag(_ tag: String) throws(ParseError) {
        let bytes = Array(tag.utf8)
        guard !bytes.isEmpty, bytes.count <= 128 else {
            throw ParseError(reason: "tag '\(tag.prefix(140))' must be 1 to 128 characters")
        }
        func word(_ byte: UInt8) -> Bool { byte.isASCIIAlphanumeric || byte == UInt8(ascii: "_") }
        guard word(bytes[0]), bytes.allSatisfy({ word($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
            throw ParseError(
                reason: "tag '\(tag)' may hold only letters, digits, '_', '.' and '-', and must not start with '.' or '-'"
            )
        }
    }

    static func validateDigest(_ digest: String) throws(ParseError) {
        let parts = digest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty,
            parts[0].utf8.allSatisfy({ $0.isASCIILowerOrDigit || "+._-".utf8.contains($0) })
        else {
            throw ParseError(reason: "digest '\(digest)' must look like sha256:<64 hex digits>")
        }
        let hex = parts[1]
        let expected: Int? = switch parts[0] {
        case "sha256": 64
        case "sha384": 96
        case "sha512": 128
        default: nil
        }
        guard let expected else {
            throw ParseError(reason: "digest algorithm '\(parts[0])' is not supported; use sha256")
        }
        guard hex.utf8.count == expected, hex.utf8.allSatisfy({ $0.isLowercaseHex }) else {
            throw ParseError(reason: "digest '\(digest)' must be \(parts[0]): followed by \(expected) lowercase hex digits")
        }
    }

    static func validateRegistry(_ registry: String) throws(ParseError) {
        var host = Substring(registry)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]"), IPAddress.isIPv6(String(host[host.index(after: host.startIndex)..<close])) else {
                throw ParseError(reason: "registry '\(registry)' has a malformed IPv6 address")
            }
            host = host[host.index(after: close)...]
            if host.isEmpty { return }
            guard host.hasPrefix(":") else { throw ParseError(reason: "registry '\(registry)' is malformed") }
            try validatePort(host.dropFirst(), registry: registry)
            return
        }
        if let colon = host.firstIndex(of: ":") {
            try validatePort(host[host.index(after: colon)...], registry: registry)
            host = host[..<colon]
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, first.isASCIIAlphanumeric, last.isASCIIAlphanumeric,
                bytes.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") })
            else {
                throw ParseError(reason: "registry host '\(host)' is not a valid host name")
            }
        }
    }

    private static func validatePort(_ port: Substring, registry: String) throws(ParseError) {
        guard let value = Int(port), (1...65535).contains(value), !port.hasPrefix("+"), !port.hasPrefix("-") else {
            throw ParseError(reason: "registry '\(registry)' has an invalid port; ports are 1-65535")
        }
    }

    static func validatePathComponent(_ component: String, in text: String) throws(ParseError) {
        let bytes = Array(component.utf8)
        guard !bytes.isEmpty else {
            throw ParseError(reason: "'\(text)' has an empty path component")
        }
        let problem = ParseError(
            reason: "repository component '\(component)' must be lowercase letters and digits, separated by '.', '_', '__' or '-'"
        )
        guard bytes.first!.isASCIILowerOrDigit, bytes.last!.isASCIILowerOrDigit else { throw problem }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isASCIILowerOrDigit {
                index += 1
                continue
            }
            // A separator: '.', '_', '__', or one or more '-'.
            if byte == UInt8(ascii: ".") {
                index += 1
            } else if byte == UInt8(ascii: "_") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "_") { index += 1 }
            } else if byte == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            } else {
                throw problem
            }
            guard index < bytes.count, bytes[index].isASCIILowerOrDigit else { throw problem }
        }
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9"))
    }

    var isASCIILowerOrDigit: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z")) || (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9"))
    }

    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    var isLowercaseHex: Bool {
        isASCIIDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
    }

    var isHex: Bool {
        isLowercaseHex || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
