/// Memory sizes: an integer with a unit, binary multiples: `b`, `k`, `m`, `g` (Docker style,
/// any case) or `Ki`, `Mi`, `Gi` (optionally with a trailing `B`).
enum MemorySyntax {
    static func parse(_ text: String) -> Int? {
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 12, let value = Int(digits) else { return nil }
        let unit = text.dropFirst(digits.count)
        let multiplier: Int
        switch unit {
        case "b", "B": multiplier = 1
        case "k", "K", "Ki", "KiB": multiplier = 1 << 10
        case "m", "M", "Mi", "MiB": multiplier = 1 << 20
        case "g", "G", "Gi", "GiB": multiplier = 1 << 30
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    /// The shortest exact spelling: `2g`, `512m`, `1536k`, `100b`.
    static func format(_ bytes: Int) -> String {
        if bytes % (1 << 30) == 0 { return "\(bytes >> 30)g" }
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20)m" }
        if bytes % (1 << 10) == 0 { return "\(bytes >> 10)k" }
        return "\(bytes)b"
    }
}
