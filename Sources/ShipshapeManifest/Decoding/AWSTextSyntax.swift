/// Free text that AWS accepts in descriptions of security groups and rules.
enum AWSTextSyntax {
    private static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/()#,@[]+=&;{}!$*".unicodeScalars)

    /// Why AWS would refuse the text, or nil.
    static func descriptionProblem(_ text: String) -> String? {
        if text.count > 255 { return "is longer than 255 characters" }
        if let bad = text.unicodeScalars.first(where: { !allowed.contains($0) }) {
            return "contains '\(bad)', which AWS does not accept (allowed: letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*)"
        }
        return nil
    }
}
