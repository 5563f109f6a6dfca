/// AWS resource ids (`vpc-0abc…`).
enum AWSIDSyntax {
    /// `prefix-` followed by 8 or 17 lowercase hex digits.
    static func isID(_ text: String, prefix: String) -> Bool {
        guard text.hasPrefix(prefix + "-") else { return false }
        let hex = text.utf8.dropFirst(prefix.utf8.count + 1)
        return (hex.count == 8 || hex.count == 17) && hex.allSatisfy(\.isLowercaseHex)
    }
}
