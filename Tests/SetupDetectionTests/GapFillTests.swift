import Testing
@testable import SetupDetection

@Suite("Gap-Fill")
struct GapFillTests {
    /// London bars 08:00-08:09 UTC on `day` ending at `lastClose`, then the next day's first
    /// bar opening at `open`.
    private func gapSetups(open: Double, lastClose: Double = 100, day: CivilDate = CivilDate(2024, 1, 15), nextDay: CivilDate = CivilDate(2024, 1, 16)) throws -> [Setup] {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: UTCTime(day, hour: 8))
        series.addFlat(count: 9, price: 99)
        series.add(99, lastClose, 99, lastClose)
        series.jump(to: UTCTime(nextDay, hour: 8))
        series.add(open, open, open, open)
        return try run(series.bars, through: &engine).filter { $0.strategy == .gapFill }
    }

    @Test("gap up: short from the open, target the previous close, stop one gap above")
    func gapUp() throws {
        let setups = try gapSetups(open: 100.5)
        #expect(setups.count == 1)
        let setup = try #require(setups.first)
        #expect(setup.direction == .short)
        #expect(setup.entry == 100.5)
        #expect(setup.target == 100)
        #expect(setup.stop == 101)
        #expect(setup.session == .london)
        #expect(setup.probability == 0.5)
        #expect(setup.updatedAt == utc(2024, 1, 16, 8, 1))
    }

    @Test("gap down: long from the open, target the previous close, stop one gap below")
    func gapDown() throws {
        let setup = try #require(try gapSetups(open: 99.8).first)
        #expect(setup.direction == .long)
        #expect(setup.entry == 99.8)
        #expect(setup.target == 100)
        #expect(approx(setup.stop, 99.6))
    }

    @Test("a gap under 0.1% of the previous close is ignored; exactly 0.1% counts")
    func threshold() throws {
        #expect(try gapSetups(open: 100.05).isEmpty)
        #expect(try gapSetups(open: 100).isEmpty)
        #expect(try gapSetups(open: 100.1).count == 1)
    }

    @Test("the previous trading day is the previous window the symbol traded in: Friday before Monday")
    func overWeekend() throws {
        let setup = try #require(try gapSetups(open: 101, lastClose: 100, day: CivilDate(2024, 1, 12), nextDay: CivilDate(2024, 1, 15)).first)
        #expect(setup.target == 100)
        #expect(setup.updatedAt == utc(2024, 1, 15, 8, 1))
    }

    @Test("the first session a symbol is seen in has no gap")
    func firstSession() throws {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: utc(2024, 1, 15, 8))
        series.add(120, 120, 120, 120)
        #expect(try run(series.bars, through: &engine).isEmpty)
    }
}
