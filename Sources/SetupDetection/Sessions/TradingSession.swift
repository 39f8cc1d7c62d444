import Foundation

/// A market session defined in local wall-clock hours of an IANA time zone, so its UTC window
/// follows that zone's daylight-saving changes.
///
/// When `closesAt <= opensAt` the session closes on the next local day (a futures session
/// 17:00-16:00 Chicago, a Sydney session seen from UTC): windows may cross midnight, local or UTC.
public struct TradingSession: Hashable, Sendable, CustomStringConvertible {
    /// The name carried by setups detected in this session.
    public let name: SessionName
    /// The zone whose wall clock defines the hours.
    public let timeZone: TimeZone
    /// Local opening time on the trading date.
    public let opensAt: TimeOfDay
    /// Local closing time: on the trading date, or on the next day when not after `opensAt`.
    public let closesAt: TimeOfDay

    /// A session from its local hours.
    public init(name: SessionName, timeZone: TimeZone, opensAt: TimeOfDay, closesAt: TimeOfDay) {
        self.name = name
        self.timeZone = timeZone
        self.opensAt = opensAt
        self.closesAt = closesAt
    }

    /// A session from an IANA zone identifier; nil when this machine does not know the zone.
    public init?(name: SessionName, timeZoneIdentifier: String, opensAt: TimeOfDay, closesAt: TimeOfDay) {
        guard let zone = TimeZone(identifier: timeZoneIdentifier) else { return nil }
        self.init(name: name, timeZone: zone, opensAt: opensAt, closesAt: closesAt)
    }

    /// London cash session: 08:00-16:30 Europe/London (07:00-15:30 UTC in summer time).
    public static let london = standard(.london, "Europe/London", TimeOfDay(8), TimeOfDay(16, 30))
    /// New York cash session: 09:30-16:00 America/New_York (13:30-20:00 UTC in summer time).
    public static let newYork = standard(.newYork, "America/New_York", TimeOfDay(9, 30), TimeOfDay(16))
    /// Tokyo cash session: 09:00-15:00 Asia/Tokyo, 00:00-06:00 UTC all year (no DST).
    public static let asia = standard(.asia, "Asia/Tokyo", TimeOfDay(9), TimeOfDay(15))

    /// The seed's three sessions, in the order the service lists them.
    public static let standardSessions: [TradingSession] = [.london, .newYork, .asia]

    /// True when the session closes on the local day after it opens.
    public var closesNextDay: Bool { closesAt.minutesSinceMidnight <= opensAt.minutesSinceMidnight }

    /// The UTC window of the session that opens on `tradingDate` (a local date in ``timeZone``).
    public func window(on tradingDate: CivilDate, sessionIndex: Int = 0) -> SessionWindow {
        let openLocal = tradingDate.daysSinceEpoch * 86_400 + Int64(opensAt.minutesSinceMidnight * 60)
        let closeDate = closesNextDay ? tradingDate.adding(days: 1) : tradingDate
        let closeLocal = closeDate.daysSinceEpoch * 86_400 + Int64(closesAt.minutesSinceMidnight * 60)
        return SessionWindow(
            session: name, sessionIndex: sessionIndex, tradingDate: tradingDate,
            start: utc(fromLocalSeconds: openLocal), end: utc(fromLocalSeconds: closeLocal)
        )
    }

    /// `london 08:00-16:30 Europe/London`.
    public var description: String { "\(name) \(opensAt)-\(closesAt) \(timeZone.identifier)" }

    /// Converts a local wall-clock reading (seconds since a local "epoch") to UTC. Two passes
    /// settle on the offset in force at the result; a reading inside a spring-forward gap lands
    /// after the gap.
    func utc(fromLocalSeconds local: Int64) -> UTCTime {
        let firstOffset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local))))
        var result = local - firstOffset
        let secondOffset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(result))))
        if secondOffset != firstOffset { result = local - secondOffset }
        return UTCTime(secondsSinceEpoch: result)
    }

    private static func standard(_ name: SessionName, _ zone: String, _ opens: TimeOfDay, _ closes: TimeOfDay) -> TradingSession {
        guard let session = TradingSession(name: name, timeZoneIdentifier: zone, opensAt: opens, closesAt: closes) else {
            preconditionFailure("time zone \(zone) is unknown: install tzdata (/usr/share/zoneinfo)")
        }
        return session
    }
}
