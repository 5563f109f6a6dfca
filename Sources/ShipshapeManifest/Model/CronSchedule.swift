/// A five-field cron expression (`minute hour day-of-month month day-of-week`, UTC), as used by
/// policy maintenance windows: `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`,
/// and names (`jan`…`dec`, `sun`…`sat`; day-of-week 0 and 7 are Sunday).
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression, fields separated by single spaces.
    public var expression: String
    /// Matching minutes 0–59.
    public var minutes: Set<Int>
    /// Matching hours 0–23.
    public var hours: Set<Int>
    /// Matching days of the month 1–31.
    public var daysOfMonth: Set<Int>
    /// Matching months 1–12.
    public var months: Set<Int>
    /// Matching weekdays, 0 = Sunday … 6 = Saturday.
    public var daysOfWeek: Set<Int>
    /// Whether day-of-month was restricted (`*` = unrestricted), for cron's OR rule.
    var dayOfMonthRestricted: Bool
    /// Whether day-of-week was restricted.
    var dayOfWeekRestricted: Bool

    public var description: String { expression }

    /// Whether the schedule fires at this minute (UTC calendar fields; weekday 0 = Sunday).
    /// As in cron, when both day fields are restricted a match on either suffices.
    public func matches(minute: Int, hour: Int, day: Int, month: Int, weekday: Int) -> Bool {
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayMatch = daysOfMonth.contains(day)
        let weekdayMatch = daysOfWeek.contains(weekday % 7)
        if dayOfMonthRestricted && dayOfWeekRestricted { return dayMatch || weekdayMatch }
        return dayMatch && weekdayMatch
    }

    /// Parses an expression; returns the problem when it is invalid.
    public static func parse(_ expression: String) -> Result<CronSchedule, CronError> {
        let fields = expression.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            return .failure(CronError(reason: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)"))
        }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        do {
            let minute = try field(fields[0], "minute", 0...59, names: [:])
            let hour = try field(fields[1], "hour", 0...23, names: [:])
            let dom = try field(fields[2], "day-of-month", 1...31, names: [:])
            let month = try field(fields[3], "month", 1...12, names: Dictionary(uniqueKeysWithValues: months.enumerated().map { ($1, $0 + 1) }))
            var dow = try field(fields[4], "day-of-week", 0...7, names: Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1, $0) }))
            if dow.remove(7) != nil { dow.insert(0) }
            return .success(
                CronSchedule(
                    expression: fields.joined(separator: " "),
                    minutes: minute,
                    hours: hour,
                    daysOfMonth: dom,
                    months: month,
                    daysOfWeek: dow,
                    dayOfMonthRestricted: fields[2] != "*",
                    dayOfWeekRestricted: fields[4] != "*"
                )
            )
        } catch {
            return .failure(error)
        }
    }

    /// Why an expression is not a valid schedule.
    public struct CronError: Error, Sendable, Hashable {
        /// What is wrong, naming the field.
        public var reason: String
    }

    private static func field(_ text: Substring, _ name: String, _ range: ClosedRange<Int>, names: [String: Int]) throws(CronError)
        -> Set<Int>
    {
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            var body = part
            var step = 1
            if let slash = part.firstIndex(of: "/") {
                guard let value = Int(part[part.index(after: slash)...]), value >= 1, value <= range.upperBound else {
                    throw CronError(reason: "\(name) step in '\(part)' must be a number from 1 to \(range.upperBound)")
                }
                step = value
                body = part[..<slash]
            }
            func value(_ token: Substring) throws(CronError) -> Int {
                if let number = Int(token), token.utf8.allSatisfy(\.isASCIIDigit), range.contains(number) { return number }
                if let named = names[token.lowercased()] { return named }
                throw CronError(reason: "\(name) '\(token)' must be \(range.lowerBound)-\(range.upperBound)\(names.isEmpty ? "" : " or a name")")
            }
            let bounds: ClosedRange<Int>
            if body == "*" {
                bounds = range
            } else if let dash = body.firstIndex(of: "-") {
                let low = try value(body[..<dash])
                let high = try value(body[body.index(after: dash)...])
                guard low <= high else { throw CronError(reason: "\(name) range '\(body)' runs backwards") }
                bounds = low...high
            } else {
                let single = try value(body)
                bounds = single...(step > 1 ? range.upperBound : single)
            }
            result.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return result
    }
}
