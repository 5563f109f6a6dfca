/// A weekly time window in UTC, written as RDS does: `ddd:hh:mm-ddd:hh:mm` (`sun:03:00-sun:04:00`).
public struct WeeklyWindow: Sendable, Hashable, CustomStringConvertible {
    /// A point in the week.
    public struct Point: Sendable, Hashable {
        /// 0 = Monday … 6 = Sunday.
        public var weekday: Int
        /// 0–23.
        public var hour: Int
        /// 0–59.
        public var minute: Int

        /// Creates a point; values are not checked.
        public init(weekday: Int, hour: Int, minute: Int) {
            self.weekday = weekday
            self.hour = hour
            self.minute = minute
        }

        /// Minutes since Monday 00:00.
        public var minuteOfWeek: Int { weekday * 1440 + hour * 60 + minute }
    }

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Start of the window.
    public var start: Point
    /// End of the window (before `start` in the week when the window wraps from Sunday to Monday).
    public var end: Point

    /// Creates a window.
    public init(start: Point, end: Point) {
        self.start = start
        self.end = end
    }

    /// Length of the window (it may wrap from Sunday to Monday).
    public var duration: Duration {
        let minutes = (end.minuteOfWeek - start.minuteOfWeek + 7 * 1440) % (7 * 1440)
        return .seconds(minutes * 60)
    }

    /// `ddd:hh:mm-ddd:hh:mm`.
    public var description: String {
        func format(_ point: Point) -> String {
            "\(Self.dayNames[point.weekday]):\(String(point.hour).leftPadded(to: 2)):\(String(point.minute).leftPadded(to: 2))"
        }
        return "\(format(start))-\(format(end))"
    }

    /// Parses `ddd:hh:mm-ddd:hh:mm` (lowercase day names); nil when malformed.
    public init?(parsing text: String) {
        let halves = text.split(separator: "-", omittingEmptySubsequences: false)
        guard halves.count == 2, let start = Self.point(halves[0]), let end = Self.point(halves[1]) else { return nil }
        self.start = start
        self.end = end
    }

    private static func point(_ text: Substring) -> Point? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let day = dayNames.firstIndex(of: String(parts[0])), parts[1].count == 2, parts[2].count == 2,
            parts[1].utf8.allSatisfy(\.isASCIIDigit), parts[2].utf8.allSatisfy(\.isASCIIDigit),
            let hour = Int(parts[1]), let minute = Int(parts[2]), hour < 24, minute < 60
        else { return nil }
        return Point(weekday: day, hour: hour, minute: minute)
    }
}
