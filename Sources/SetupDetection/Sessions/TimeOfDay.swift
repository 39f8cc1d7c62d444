/// A local wall-clock time, to the minute, at which a session opens or closes.
public struct TimeOfDay: Hashable, Sendable, CustomStringConvertible {
    /// Hours, 0...23.
    public let hour: Int
    /// Minutes, 0...59.
    public let minute: Int

    /// A time of day; traps on an hour outside 0...23 or a minute outside 0...59 (a programming error).
    public init(_ hour: Int, _ minute: Int = 0) {
        precondition((0..<24).contains(hour) && (0..<60).contains(minute), "invalid time of day \(hour):\(minute)")
        self.hour = hour
        self.minute = minute
    }

    /// Minutes since local midnight.
    public var minutesSinceMidnight: Int { hour * 60 + minute }

    /// `HH:MM`.
    public var description: String { "\(CivilDate.pad(hour, 2)):\(CivilDate.pad(minute, 2))" }
}
