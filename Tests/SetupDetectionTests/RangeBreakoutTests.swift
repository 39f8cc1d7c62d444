import Testing
@testable import SetupDetection

@Suite("ORB and IB breakouts")
struct RangeBreakoutTests {
    /// London, Monday 2024-01-15 (winter: the session opens at 08:00 UTC). Fifteen flat bars
    /// at 100 whose highs and lows span 99...101: the opening range.
    private func londonOpeningRange() -> BarSeries {
        var series = BarSeries(startingAt: utc(2024, 1, 15, 8))
        for minute in 0..<15 {
            let high = minute == 3 ? 101.0 : 100.5
            let low = minute == 7 ? 99.0 : 99.5
            series.add(100, high, low, 100)
        }
        return series
    }

    @Test("ORB long: close above the 15-minute range high; entry high, stop low, target high + height")
    func orbLong() throws {
        var engine = SetupEngine()
        var series = londonOpeningRange()
        series.add(100, 100.9, 99.8, 100.9) // inside the range: nothing
        series.add(100.9, 101.6, 100.8, 101.5) // 08:16 closes above 101
        series.add(101.5, 101.9, 101.2, 101.8) // closes above again: no second long
        let setups = try run(series.bars, through: &engine).filter { $0.strategy == .openingRangeBreakout }
        let setup = try #require(setups.first)
        #expect(setups.count == 1)
        #expect(setup.direction == .long)
        #expect(setup.entry == 101)
        #expect(setup.stop == 99)
        #expect(setup.target == 103)
        #expect(setup.probability == 0.5)
        #expect(setup.session == .london)
        #expect(setup.updatedAt == utc(2024, 1, 15, 8, 17))
        #expect(setup.symbol == "AAPL")
    }

    @Test("ORB short: close below the range low; entry low, stop high, target low - height")
    func orbShort() throws {
        var engine = SetupEngine()
        var series = londonOpeningRange()
        series.add(100, 100.1, 98.4, 98.5)
        let setups = try run(series.bars, through: &engine).filter { $0.strategy == .openingRangeBreakout }
        #expect(setups.count == 1)
        let setup = try #require(setups.first)
        #expect(setup.direction == .short)
        #expect(setup.entry == 99)
        #expect(setup.stop == 101)
        #expect(setup.target == 97)
        #expect(setup.updatedAt == utc(2024, 1, 15, 8, 16))
    }

    @Test("ORB with a 5-minute range and a 2x target")
    func orbConfigured() throws {
        var engine = SetupEngine(configuration: DetectorConfiguration(openingRangeMinutes: 5, openingRangeTargetMultiple: 2))
        var series = BarSeries(startingAt: utc(2024, 1, 15, 8))
        series.addFlat(count: 5, price: 50, high: 50.5, low: 49.75) // range 49.75...50.5, height 0.75
        series.add(50, 50.6, 49.9, 50.55)
        let setup = try #require(try run(series.bars, through: &engine).first { $0.strategy == .openingRangeBreakout })
        #expect(setup.entry == 50.5)
        #expect(setup.stop == 49.75)
        #expect(approx(setup.target, 52))
        #expect(setup.updatedAt == utc(2024, 1, 15, 8, 6))
    }

    @Test("no ORB when the symbol's first bar of the session comes after the range period")
    func orbNeedsRange() throws {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: utc(2024, 1, 15, 8, 20))
        series.addFlat(count: 3, price: 100)
        series.add(100, 105, 100, 105)
        #expect(try run(series.bars, through: &engine).allSatisfy { $0.strategy != .openingRangeBreakout })
    }

    @Test("ORB is per session: the range resets the next day and New York has its own")
    func orbPerSessionAndDay() throws {
        var engine = SetupEngine()
        var series = londonOpeningRange()
        series.add(100.9, 101.6, 100.8, 101.5) // London long on day 1
        series.add(101.5, 103.2, 101.4, 103.1) // touches 103: the setup is a hit
        // New York opens at 14:30 UTC in January; its range is built from its own bars.
        series.jump(to: utc(2024, 1, 15, 14, 30))
        series.addFlat(count: 15, price: 200, high: 201, low: 199)
        series.add(200, 200.5, 198.5, 198.6)
        // Day 2, London again.
        series.jump(to: utc(2024, 1, 16, 8))
        series.addFlat(count: 15, price: 103, high: 104, low: 102)
        series.add(103, 104.5, 103, 104.4)
        let orb = try run(series.bars, through: &engine).filter { $0.strategy == .openingRangeBreakout }
        #expect(orb.map(\.session) == [.london, .newYork, .london])
        #expect(orb.map(\.direction) == [.long, .short, .long])
        #expect(orb[1].entry == 199 && orb[1].stop == 201 && orb[1].target == 197)
        #expect(orb[2].entry == 104 && orb[2].stop == 102 && orb[2].target == 106)
        // One London ORB hit so far: (1 + 1) / (1 + 2).
        #expect(approx(orb[2].probability, 2.0 / 3.0))
        #expect(orb[1].probability == 0.5)
        #expect(engine.hitRate(symbol: "AAPL", strategy: .openingRangeBreakout, session: .london) == HitRate(hits: 1, misses: 0))
    }

    @Test("IB long and short: 60-minute balance, target one balance height away")
    func initialBalance() throws {
        for goesUp in [true, false] {
            var engine = SetupEngine()
            var series = BarSeries(startingAt: utc(2024, 1, 15, 8))
            for minute in 0..<60 {
                series.add(100, minute == 40 ? 102 : 100.5, minute == 50 ? 98.5 : 99.5, 100)
            }
            if goesUp { series.add(101, 102.6, 100.9, 102.5) } else { series.add(99, 99.1, 97.9, 98) }
            let ib = try run(series.bars, through: &engine).filter { $0.strategy == .initialBalanceBreakout }
            #expect(ib.count == 1)
            let setup = try #require(ib.first)
            #expect(setup.direction == (goesUp ? .long : .short))
            #expect(setup.entry == (goesUp ? 102 : 98.5))
            #expect(setup.stop == (goesUp ? 98.5 : 102))
            #expect(setup.target == (goesUp ? 105.5 : 95))
            #expect(setup.session == .london)
            #expect(setup.updatedAt == utc(2024, 1, 15, 9, 1))
        }
    }

    @Test("an overnight session's range survives midnight UTC")
    func orbAcrossMidnight() throws {
        let futures = try #require(TradingSession(
            name: SessionName(rawValue: "futures"), timeZoneIdentifier: "America/New_York",
            opensAt: TimeOfDay(18), closesAt: TimeOfDay(17)
        ))
        var engine = SetupEngine(calendar: SessionCalendar(sessions: [futures]))
        var series = BarSeries("ES", startingAt: utc(2024, 1, 15, 23))
        series.addFlat(count: 15, price: 4_800, high: 4_802, low: 4_797)
        series.jump(to: utc(2024, 1, 16, 0, 5))
        series.add(4_800, 4_803, 4_799, 4_802.5)
        let setup = try #require(try run(series.bars, through: &engine).first { $0.strategy == .openingRangeBreakout })
        #expect(setup.session == SessionName(rawValue: "futures"))
        #expect(setup.entry == 4_802 && setup.stop == 4_797 && setup.target == 4_807)
        #expect(setup.updatedAt == utc(2024, 1, 16, 0, 6))
    }
}
