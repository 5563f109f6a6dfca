/// Rule port ranges: `443` or `"8000-8100"`.
enum PortRangeSyntax {
    static func parse(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return PortSyntax.port(parts[0]).map { $0...$0 }
        case 2:
            guard let low = PortSyntax.port(parts[0]), let high = PortSyntax.port(parts[1]), low <= high else { return nil }
            return low...high
        default:
            return nil
        }
    }

    static func format(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }
}
