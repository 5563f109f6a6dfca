/// Name rules of the format.
enum NameSyntax {
    /// Environment names end up in tags, labels and container names: `^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
        return isResourceName(name)
    }

    /// Resource names (services, instances, groups): a DNS label, `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`.
    static func isResourceName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), bytes.first!.isASCIILowerOrDigit, bytes.last!.isASCIILowerOrDigit else {
            return false
        }
        return bytes.allSatisfy { $0.isASCIILowerOrDigit || $0 == UInt8(ascii: "-") }
    }

    /// `us-east-1`, `ap-northeast-2`, `us-gov-west-1`, `cn-north-1`.
    static func isAWSRegion(_ name: String) -> Bool {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard (3...4).contains(parts.count), let last = parts.last, !last.isEmpty, last.utf8.allSatisfy(\.isASCIIDigit) else {
            return false
        }
        return parts.dropLast().allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
        }
    }

    /// Environment variable names: `^[A-Za-z_][A-Za-z0-9_]*$`.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first.isASCIIAlphanumeric || first == UInt8(ascii: "_"), !first.isASCIIDigit else {
            return false
        }
        return name.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") }
    }
}
