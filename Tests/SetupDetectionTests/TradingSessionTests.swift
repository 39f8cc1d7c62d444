import Foundation
import Testing
@testable import SetupDetection

@Suite("Session windows in UTC across daylight-saving changes")
struct TradingSessionTests {
    private func expectWindow(_ session: TradingSession, _ date: CivilDate, _ start: UTCTime, _ end: UTCTime) {
        let window = session.window(on: date)
        #expect(window.start == start, "\(window)")
        #expect(window.end == end, "\(window)")
    }

    @Test("London moves to 07:00-15:30 UTC after the last Sunday of March and back after October's")
    func london() {
        // Friday before and Monday after 2024-03-31.
        expectWindow(.london, CivilDate(2024, 3, 29), utc(2024, 3, 29, 8), utc(2024, 3, 29, 16, 30))
        expectWindow(.london, CivilDate(2024, 4, 1), utc(2024, 4, 1, 7), utc(2024, 4, 1, 15, 30))
        // The Sunday of the change itself: 01:00 UTC has passed by the open.
        expectWindow(.london, CivilDate(2024, 3, 31), utc(2024, 3, 31, 7), utc(2024, 3, 31, 15, 30))
        // Friday before and Monday after 2024-10-27.
        expectWindow(.london, CivilDate(2024, 10, 25), utc(2024, 10, 25, 7), utc(2024, 10, 25, 15, 30))
        expectWindow(.london, CivilDate(2024, 10, 28), utc(2024, 10, 28, 8), utc(2024, 10, 28, 16, 30))
    }

    @Test("New York moves to 13:30-20:00 UTC after the second Sunday of March, back after November's first")
    func newYork() {
        expectWindow(.newYork, CivilDate(2024, 3, 8), utc(2024, 3, 8, 14, 30), utc(2024, 3, 8, 21))
        expectWindow(.newYork, CivilDate(2024, 3, 11), utc(2024, 3, 11, 13, 30), utc(2024, 3, 11, 20))
        expectWindow(.newYork, CivilDate(2024, 11, 1), utc(2024, 11, 1, 13, 30), utc(2024, 11, 1, 20))
        expectWindow(.newYork, CivilDate(2024, 11, 4), utc(2024, 11, 4, 14, 30), utc(2024, 11, 4, 21))
    }

    @Test("Tokyo has no DST: 00:00-06:00 UTC in January and July")
    func asia() {
        expectWindow(.asia, CivilDate(2024, 1, 15), utc(2024, 1, 15, 0), utc(2024, 1, 15, 6))
        expectWindow(.asia, CivilDate(2024, 7, 15), utc(2024, 7, 15, 0), utc(2024, 7, 15, 6))
    }

    @Test("when the US has changed and the EU has not, London and New York overlap three hours, not two")
    func outOfSyncWeeks() {
        var calendar = SessionCalendar()
        // 2024-03-18: New York in summer time, London still in winter time.
        #expect(calendar.windows(containing: utc(2024, 3, 18, 13, 30)).map(\.session) == [.london, .newYork])
        #expect(calendar.windows(containing: utc(2024, 3, 18, 16, 15)).map(\.session) == [.london, .newYork])
        #expect(calendar.windows(containing: utc(2024, 3, 18, 13, 29)).map(\.session) == [.london])
        // 2024-04-08: both in summer time: London closes at 15:30 UTC.
        #expect(calendar.windows(containing: utc(2024, 4, 8, 16, 15)).map(\.session) == [.newYork])
        // 2024-10-28: London back to winter time, New York still in summer time.
        #expect(calendar.windows(containing: utc(2024, 10, 28, 13, 30)).map(\.session) == [.london, .newYork])
        #expect(calendar.windows(containing: utc(2024, 10, 28, 7, 30)).isEmpty)
        // The overlap is labelled with the session that opened last.
        #expect(calendar.primarySession(at: utc(2024, 3, 18, 14)) == .newYork)
        #expect(calendar.primarySession(at: utc(2024, 3, 18, 10)) == .london)
        #expect(calendar.primarySession(at: utc(2024, 3, 18, 3)) == .asia)
    }

    @Test("an instant in no session gets the default session london")
    func defaultLondon() {
        var calendar = SessionCalendar()
        #expect(calendar.windows(containing: utc(2024, 1, 15, 22)).isEmpty)
        #expect(calendar.primarySession(at: utc(2024, 1, 15, 22)) == .london)
        // A window's end is exclusive: 16:30 UTC in winter is after London, during New York.
        #expect(calendar.primarySession(at: utc(2024, 1, 15, 16, 30)) == .newYork)
        #expect(calendar.primarySession(at: utc(2024, 1, 15, 21)) == .london)
    }

    @Test("a Sydney session crosses midnight UTC in the southern summer, not in its winter")
    func sydneyCrossesMidnight() throws {
        let sydney = try #require(TradingSession(
            name: SessionName(rawValue: "sydney"), timeZoneIdentifier: "Australia/Sydney",
            opensAt: TimeOfDay(10), closesAt: TimeOfDay(16)
        ))
        let january = sydney.window(on: CivilDate(2024, 1, 15))
        #expect(january.start == utc(2024, 1, 14, 23))
        #expect(january.end == utc(2024, 1, 15, 5))
        #expect(january.crossesUTCMidnight)
        let july = sydney.window(on: CivilDate(2024, 7, 15))
        #expect(july.start == utc(2024, 7, 15, 0))
        #expect(!july.crossesUTCMidnight)

        var calendar = SessionCalendar(sessions: [sydney])
        let before = calendar.windows(containing: utc(2024, 1, 14, 23, 30))
        let after = calendar.windows(containing: utc(2024, 1, 15, 1))
        #expect(before.map(\.tradingDate) == [CivilDate(2024, 1, 15)])
        #expect(after.map(\.tradingDate) == [CivilDate(2024, 1, 15)])
        #expect(calendar.windows(containing: utc(2024, 1, 15, 5)).isEmpty)
    }

    @Test("a futures session 18:00-17:00 New York closes the next local day")
    func overnightFutures() throws {
        let futures = try #require(TradingSession(
            name: SessionName(rawValue: "futures"), timeZoneIdentifier: "America/New_York",
            opensAt: TimeOfDay(18), closesAt: TimeOfDay(17)
        ))
        #expect(futures.closesNextDay)
        let window = futures.window(on: CivilDate(2024, 1, 15))
        #expect(window.start == utc(2024, 1, 15, 23))
        #expect(window.end == utc(2024, 1, 16, 22))
        var calendar = SessionCalendar(sessions: [futures])
        #expect(calendar.windows(containing: utc(2024, 1, 16, 2)).map(\.tradingDate) == [CivilDate(2024, 1, 15)])
        #expect(calendar.windows(containing: utc(2024, 1, 16, 22, 30)).isEmpty)
        #expect(calendar.windows(containing: utc(2024, 1, 16, 23)).map(\.tradingDate) == [CivilDate(2024, 1, 16)])
    }

    @Test("over all of 2024, membership agrees with each zone's local wall clock read by Foundation's Calendar")
    func agreesWithLocalClock() throws {
        var calendar = SessionCalendar()
        var clocks: [(TradingSession, Calendar)] = []
        for session in TradingSession.standardSessions {
            var local = Calendar(identifier: .gregorian)
            local.timeZone = session.timeZone
            clocks.append((session, local))
        }
        var checked = 0
        // A 23-minute step lands on every minute-of-hour residue and on both sides of each change.
        for seconds in stride(from: utc(2024, 1, 1).secondsSinceEpoch, to: utc(2025, 1, 1).secondsSinceEpoch, by: 23 * 60) {
            let time = UTCTime(secondsSinceEpoch: seconds)
            let found = Set(calendar.windows(containing: time).map(\.session))
            for (session, local) in clocks {
                let parts = local.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: Double(seconds)))
                let minute = try #require(parts.hour) * 60 + (try #require(parts.minute))
                let expected = minute >= session.opensAt.minutesSinceMidnight && minute < session.closesAt.minutesSinceMidnight
                if found.contains(session.name) != expected {
                    Issue.record("\(session.name) at \(time): calendar says \(found.contains(session.name)), local clock \(expected)")
                }
                checked += 1
            }
        }
        #expect(checked > 60_000)
    }
}
