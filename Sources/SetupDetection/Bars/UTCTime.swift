/// An instant in UTC, in whole seconds since 1970-01-01T00:00:00Z.
///
/// Bars, session windows and setups all speak in this one integer type so the per-bar hot path
/// compares integers and never touches a calendar.
public struct UTCTime: Hashable, Comparable, Sendable {
    /// Seconds since the Unix epoch (negative before 1970).
    public var secondsSinceEpoch: Int64

    /// Wraps a count of seconds since the Unix epoch.
    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// Builds the instant of a UTC calendar date and wall-clock time; handy for tests and replays.
    public init(_ date: CivilDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.secondsSinceEpoch = date.daysSinceEpoch * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    }

    /// The UTC calendar date this instant falls on.
    public var utcDate: CivilDate {
        CivilDate(daysSinceEpoch: Self.floorDiv(secondsSinceEpoch, 86_400))
    }

    /// This instant moved by a number of seconds.
    public func adding(seconds: Int64) -> UTCTime {
        UTCTime(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    public static func < (lhs: UTCTime, rhs: UTCTime) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// Integer division rounding toward negative infinity, for days before the epoch.
    static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
