/// Finds which session windows contain an instant, cheaply enough to ask for every bar.
///
/// The windows overlapping a UTC day are computed once (time-zone arithmetic) and cached by
/// day, so a bar costs one integer division, a cache probe and a scan of a handful of windows.
public struct SessionCalendar: Sendable {
    /// The sessions, in priority order; ``SessionWindow/sessionIndex`` points into this array.
    public let sessions: [TradingSession]
    /// The session a setup carries when no window contains its bar: `london` (the seed's default).
    public let defaultSession: SessionName

    private var lastDay: Int64 = .min
    private var lastDayWindows: [SessionWindow] = []
    private var windowsByDay: [Int64: [SessionWindow]] = [:]
    private static let maximumCachedDays = 4_096

    /// A calendar over some sessions; the standard three by default.
    public init(sessions: [TradingSession] = TradingSession.standardSessions, defaultSession: SessionName = .default) {
        self.sessions = sessions
        self.defaultSession = defaultSession
    }

    /// Every window (of every session) overlapping the UTC day of `time`, sorted by start.
    public mutating func windowsOverlappingDay(of time: UTCTime) -> [SessionWindow] {
        let day = UTCTime.floorDiv(time.secondsSinceEpoch, 86_400)
        if day == lastDay { return lastDayWindows }
        let windows: [SessionWindow]
        if let cached = windowsByDay[day] {
            windows = cached
        } else {
            windows = Self.computeWindows(overlappingDay: day, sessions: sessions)
            if windowsByDay.count >= Self.maximumCachedDays { windowsByDay.removeAll(keepingCapacity: true) }
            windowsByDay[day] = windows
        }
        lastDay = day
        lastDayWindows = windows
        return windows
    }

    /// The windows that contain `time`, sorted by start (several when sessions overlap, such
    /// as London and New York in the early afternoon UTC).
    public mutating func windows(containing time: UTCTime) -> [SessionWindow] {
        windowsOverlappingDay(of: time).filter { $0.contains(time) }
    }

    /// The session a bar starting at `time` is labelled with: of the windows containing it,
    /// the one that opened last (New York during the London/New York overlap); the default
    /// session (`london`) when none contains it.
    public mutating func primarySession(at time: UTCTime) -> SessionName {
        Self.primary(of: windowsOverlappingDay(of: time), at: time) ?? defaultSession
    }

    /// The name of the window that opened last among those containing `time`, if any.
    static func primary(of windows: [SessionWindow], at time: UTCTime) -> SessionName? {
        var best: SessionWindow?
        for window in windows where window.contains(time) {
            if let current = best, current.start >= window.start { continue }
            best = window
        }
        return best?.session
    }

    /// Windows overlapping `[day, day + 1)` in UTC. Local dates from day - 2 to day + 1 cover
    /// any zone offset (within ±14 h) and any session up to 24 h long.
    static func computeWindows(overlappingDay day: Int64, sessions: [TradingSession]) -> [SessionWindow] {
        let dayStart = day * 86_400
        let dayEnd = dayStart + 86_400
        var result: [SessionWindow] = []
        for (index, session) in sessions.enumerated() {
            for offset in -2...1 {
                let window = session.window(on: CivilDate(daysSinceEpoch: day + Int64(offset)), sessionIndex: index)
                if window.start.secondsSinceEpoch < dayEnd && window.end.secondsSinceEpoch > dayStart {
                    result.append(window)
                }
            }
        }
        result.sort { ($0.start, $0.sessionIndex) < ($1.start, $1.sessionIndex) }
        return result
    }
}
