/// Instance types, DB instance classes and DB identifiers.
enum ResourceClassSyntax {
    private static let sizes: Set<String> = ["nano", "micro", "small", "medium", "large", "xlarge", "metal"]

    /// `family.size`: a family of lowercase letters and digits (and `-`) containing a digit
    /// (`t3`, `m6gd`, `u-6tb1`), and a size (`nano`…`xlarge`, `Nxlarge`, `metal`, `metal-Nxl`).
    static func isInstanceType(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return isFamily(parts[0]) && isSize(parts[1])
    }

    /// `db.family.size` (`db.t3.micro`, `db.r6g.2xlarge`).
    static func isDBInstanceClass(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "db" else { return false }
        return isFamily(parts[1]) && isSize(parts[2]) && parts[2] != "nano"
    }

    private static func isFamily(_ family: Substring) -> Bool {
        let bytes = Array(family.utf8)
        guard let first = bytes.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z"), bytes.count <= 16,
            bytes.last != UInt8(ascii: "-")
        else { return false }
        return bytes.contains(where: \.isASCIIDigit) && bytes.allSatisfy { $0.isASCIILowerOrDigit || $0 == UInt8(ascii: "-") }
    }

    private static func isSize(_ size: Substring) -> Bool {
        if sizes.contains(String(size)) { return true }
        if size.hasSuffix("xlarge") {
            let count = size.dropLast("xlarge".count)
            return !count.isEmpty && count.count <= 3 && count.utf8.allSatisfy(\.isASCIIDigit) && !count.hasPrefix("0")
        }
        if size.hasPrefix("metal-"), size.hasSuffix("xl") {
            let count = size.dropFirst("metal-".count).dropLast(2)
            return !count.isEmpty && count.utf8.allSatisfy(\.isASCIIDigit)
        }
        return false
    }

    /// RDS DB instance identifier: 1–63 letters, digits and `-`, first a letter, no `--`, not ending in `-`.
    static func isDBIdentifier(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count), bytes[0].isASCIIAlphanumeric, !bytes[0].isASCIIDigit,
            bytes.last != UInt8(ascii: "-"), !text.contains("--")
        else { return false }
        return bytes.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") }
    }
}
