/// AWS resource ids (`vpc-0abc…`).
enum AWSIDSyntax {
    /// What an id prefix names, for messages.
    static func kindName(_ prefix: String) -> String {
        switch prefix {
        case "ami": "AMI"
        case "vpc": "VPC"
        case "i": "EC2 instance"
        case "sg": "security group"
        default: prefix
        }
    }

    /// `prefix-` followed by 8 or 17 lowercase hex digits.
    static func isID(_ text: String, prefix: String) -> Bool {
        guard text.hasPrefix(prefix + "-") else { return false }
        let hex = text.utf8.dropFirst(prefix.utf8.count + 1)
        return (hex.count == 8 || hex.count == 17) && hex.allSatisfy(\.isLowercaseHex)
    }
}
