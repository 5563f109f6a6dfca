/// Syntax checks for IP addresses and CIDR blocks, as the manifests write them.
public enum IPAddress {
    /// Dotted-quad IPv4 (`10.0.0.1`); no leading zeros, each octet 0–255.
    public static func isIPv4(_ text: String) -> Bool {
        ipv4Octets(Substring(text)) != nil
    }

    static func ipv4Octets(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy(\.isASCIIDigit),
                part == "0" || !part.hasPrefix("0"), let value = UInt8(part)
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// IPv6 in any RFC 4291 text form (`::1`, `2001:db8::/`…, with an embedded IPv4 tail allowed).
    public static func isIPv6(_ text: String) -> Bool {
        ipv6Bytes(Substring(text)) != nil
    }

    static func ipv6Bytes(_ text: Substring) -> [UInt8]? {
        guard !text.isEmpty, text.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        sawGap = halves.count == 2
        func groups(_ part: Substring, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, allowIPv4Tail, piece.contains(".") {
                    guard let octets = ipv4Octets(piece) else { return nil }
                    result.append(UInt16(octets[0]) << 8 | UInt16(octets[1]))
                    result.append(UInt16(octets[2]) << 8 | UInt16(octets[3]))
                    continue
                }
                guard (1...4).contains(piece.count), piece.utf8.allSatisfy(\.isHex), let value = UInt16(piece, radix: 16) else {
                    return nil
                }
                result.append(value)
            }
            return result
        }
        if sawGap {
            guard let first = groups(halves[0], allowIPv4Tail: false), let second = groups(halves[1], allowIPv4Tail: true) else {
                return nil
            }
            head = first
            tail = second
            guard head.count + tail.count <= 7 else { return nil }
        } else {
            guard let all = groups(halves[0], allowIPv4Tail: true), all.count == 8 else { return nil }
            head = all
        }
        let words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Why a CIDR block is not acceptable, or nil when it is.
    /// Checks the address, the prefix length (0–32 or 0–128) and that no host bits are set.
    static func cidrProblem(_ text: String, version6: Bool) -> (reason: String, suggestion: String?)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let family = version6 ? "IPv6" : "IPv4"
        guard parts.count == 2 else {
            return ("'\(text)' is not an \(family) CIDR block (address/prefix)", nil)
        }
        let maxPrefix = version6 ? 128 : 32
        guard let bytes = version6 ? ipv6Bytes(parts[0]) : ipv4Octets(parts[0]) else {
            return ("'\(parts[0])' is not a valid \(family) address", nil)
        }
        guard !parts[1].isEmpty, parts[1].utf8.allSatisfy(\.isASCIIDigit), parts[1].count <= 3, let prefix = Int(parts[1]),
            prefix <= maxPrefix
        else {
            return ("prefix length '/\(parts[1])' must be 0 to \(maxPrefix)", nil)
        }
        var network = bytes
        for index in network.indices {
            let bitsBefore = index * 8
            if bitsBefore >= prefix {
                network[index] = 0
            } else if bitsBefore + 8 > prefix {
                network[index] &= UInt8(truncatingIfNeeded: 0xFF << (8 - (prefix - bitsBefore)))
            }
        }
        if network != bytes {
            let canonical = (version6 ? formatIPv6(network) : network.map(String.init).joined(separator: ".")) + "/\(prefix)"
            return ("'\(text)' has host bits set after the /\(prefix) prefix", canonical)
        }
        return nil
    }

    static func formatIPv6(_ bytes: [UInt8]) -> String {
        let words = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        // Compress the longest run of zero words (length ≥ 2).
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if words[index] == 0 {
                var end = index
                while end < 8, words[end] == 0 { end += 1 }
                if end - index > bestLength, end - index >= 2 {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        let hex = words.map { String($0, radix: 16) }
        if bestStart < 0 { return hex.joined(separator: ":") }
        let left = hex[..<bestStart].joined(separator: ":")
        let right = hex[(bestStart + bestLength)...].joined(separator: ":")
        return left + "::" + right
    }
}

extension Substring {
    /// Splits at `::` (at most one is valid in IPv6; more yields more than two parts).
    func components(separatedByDoubleColon _: Void) -> [Substring] {
        var parts: [Substring] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            let next = self.index(after: index)
            if self[index] == ":", next < endIndex, self[next] == ":" {
                parts.append(self[start..<index])
                start = self.index(after: next)
                index = start
                continue
            }
            index = next
        }
        parts.append(self[start...])
        return parts
    }
}
