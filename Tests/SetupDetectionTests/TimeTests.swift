import Testing
@testable import SetupDetection

@Suite("UTC time and civil dates")
struct TimeTests {
    @Test("civil date round-trips through days since epoch, leap years included")
    func civilRoundTrip() {
        #expect(CivilDate(1970, 1, 1).daysSinceEpoch == 0)
        #expect(CivilDate(2000, 3, 1).daysSinceEpoch == 11_017)
        #expect(CivilDate(daysSinceEpoch: 19_782) == CivilDate(2024, 2, 29))
        #expect(CivilDate(1969, 12, 31).daysSinceEpoch == -1)
        for days in stride(from: Int64(-800), to: 40_000, by: 37) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(CivilDate(2024, 3, 31).isoWeekday == 7)
        #expect(CivilDate(2024, 3, 29).isoWeekday == 5)
        #expect(!CivilDate(2023, 2, 29).isValid)
        #expect(CivilDate(2024, 2, 29).isValid)
    }

    @Test("ISO-8601 formatting is YYYY-MM-DDTHH:MM:SSZ")
    func formatting() {
        #expect(utc(2024, 3, 19, 14, 35).iso8601 == "2024-03-19T14:35:00Z")
        #expect(UTCTime(secondsSinceEpoch: 1_710_858_905).iso8601 == "2024-03-19T14:35:05Z")
        #expect(UTCTime(secondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59Z")
    }

    @Test("ISO-8601 parsing accepts Z, offsets and fractions; refuses a missing zone")
    func parsing() {
        let expected = utc(2024, 3, 19, 14, 35)
        #expect(UTCTime(iso8601: "2024-03-19T14:35:00Z") == expected)
        #expect(UTCTime(iso8601: "2024-03-19 14:35:00Z") == expected)
        #expect(UTCTime(iso8601: "2024-03-19T15:35:00+01:00") == expected)
        #expect(UTCTime(iso8601: "2024-03-19T10:35:00-0400") == expected)
        #expect(UTCTime(iso8601: "2024-03-19T14:35:00.750Z") == expected)
        #expect(UTCTime(iso8601: "2024-03-19T14:35:00") == nil)
        #expect(UTCTime(iso8601: "2024-02-30T14:35:00Z") == nil)
        #expect(UTCTime(iso8601: "2024-03-19T24:00:00Z") == nil)
        #expect(UTCTime(iso8601: "2024-03-19T14:35:00Zjunk") == nil)
    }
}
