/// Amazon Resource Names.
enum ARNSyntax {
    /// `arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID`.
    static func isTargetGroup(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "elasticloadbalancing",
            NameSyntax.isAWSRegion(String(parts[3])), parts[4].count == 12, parts[4].utf8.allSatisfy(\.isASCIIDigit)
        else { return false }
        let resource = parts[5].split(separator: "/", omittingEmptySubsequences: false)
        guard resource.count == 3, resource[0] == "targetgroup", (1...32).contains(resource[1].count),
            resource[1].utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") }),
            resource[2].count == 16, resource[2].utf8.allSatisfy(\.isLowercaseHex)
        else { return false }
        return true
    }
}
