/// One occurrence of a session: the UTC instants it opens and closes for one trading date.
///
/// A bar belongs to the window when `start <= bar.start < end`.
public struct SessionWindow: Hashable, Sendable, CustomStringConvertible {
    /// The session this window is an occurrence of.
    public let session: SessionName
    /// The position of the session in its ``SessionCalendar`` (detector state is kept per index).
    public let sessionIndex: Int
    /// The local date, in the session's time zone, on which the session opens.
    public let tradingDate: CivilDate
    /// When the session opens, in UTC (inclusive).
    public let start: UTCTime
    /// When the session closes, in UTC (exclusive).
    public let end: UTCTime

    /// A window from its parts.
    public init(session: SessionName, sessionIndex: Int, tradingDate: CivilDate, start: UTCTime, end: UTCTime) {
        self.session = session
        self.sessionIndex = sessionIndex
        self.tradingDate = tradingDate
        self.start = start
        self.end = end
    }

    /// True when an instant is inside the window (start inclusive, end exclusive).
    @inlinable
    public func contains(_ time: UTCTime) -> Bool {
        start.secondsSinceEpoch <= time.secondsSinceEpoch && time.secondsSinceEpoch < end.secondsSinceEpoch
    }

    /// True when the window spans a midnight UTC.
    public var crossesUTCMidnight: Bool { start.utcDate != end.adding(seconds: -1).utcDate }

    /// `london 2024-03-29 08:00:00Z..16:30:00Z`-style summary for logs and test failures.
    public var description: String { "\(session) \(tradingDate) \(start)..<\(end)" }
}
