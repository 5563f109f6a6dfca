/// Durations as manifests write them: one or more `<integer><unit>` parts, units `ms`, `s`, `m`, `h`
/// (`500ms`, `30s`, `1h30m`).
public enum DurationSyntax {
    public static func parse(_ text: String) -> Duration? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 32 else { return nil }
        var index = 0
        var total = Duration.zero
        while index < bytes.count {
            var number = 0
            let start = index
            while index < bytes.count, bytes[index].isASCIIDigit {
                number = number * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                guard number < 1_000_000_000 else { return nil }
                index += 1
            }
            guard index > start else { return nil }
            let unitStart = index
            while index < bytes.count, !bytes[index].isASCIIDigit { index += 1 }
            switch String(decoding: bytes[unitStart..<index], as: UTF8.self) {
            case "ms": total += .milliseconds(number)
            case "s": total += .seconds(number)
            case "m": total += .seconds(number * 60)
            case "h": total += .seconds(number * 3600)
            default: return nil
            }
        }
        return total
    }

    /// The shortest canonical spelling: `1h30m`, `45s`, `500ms`, `0s`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        if seconds == 0 && milliseconds == 0 { return "0s" }
        var text = ""
        var rest = seconds
        if rest >= 3600 {
            text += "\(rest / 3600)h"
            rest %= 3600
        }
        if rest >= 60 {
            text += "\(rest / 60)m"
            rest %= 60
        }
        if rest > 0 { text += "\(rest)s" }
        if milliseconds > 0 { text += "\(milliseconds)ms" }
        return text
    }
}
