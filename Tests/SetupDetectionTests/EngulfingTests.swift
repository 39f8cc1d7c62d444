import Testing
@testable import SetupDetection

@Suite("Engulfing")
struct EngulfingTests {
    @Test("bullish: entry close, stop lower low, target entry + 2R; outside sessions it is london")
    func bullish() throws {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: utc(2024, 1, 15, 22))
        series.add(100, 100.2, 99.4, 99.5) // bearish
        series.add(99.4, 100.8, 99.3, 100.6) // bullish, body engulfs
        let setups = try run(series.bars, through: &engine)
        #expect(setups.count == 1)
        let setup = try #require(setups.first)
        #expect(setup.strategy == .engulfing)
        #expect(setup.direction == .long)
        #expect(setup.entry == 100.6)
        #expect(setup.stop == 99.3)
        #expect(approx(setup.target, 103.2))
        #expect(setup.session == .london)
        #expect(setup.updatedAt == utc(2024, 1, 15, 22, 2))
    }

    @Test("bearish: entry close, stop higher high, target entry - 2R")
    func bearish() throws {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: utc(2024, 1, 15, 22))
        series.add(100, 100.5, 99.9, 100.4) // bullish
        series.add(100.45, 100.6, 99.5, 99.8) // bearish, body engulfs
        let setup = try #require(try run(series.bars, through: &engine).first)
        #expect(setup.direction == .short)
        #expect(setup.entry == 99.8)
        #expect(setup.stop == 100.6)
        #expect(approx(setup.target, 98.2))
    }

    @Test("no engulfing when the body does not engulf or the bars are not contiguous")
    func rejections() throws {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: utc(2024, 1, 15, 22))
        series.add(100, 100.2, 99.4, 99.5)
        series.add(99.6, 100.8, 99.3, 100.6) // opens above the previous close
        series.add(100.6, 100.7, 99.0, 99.1)
        series.jump(to: utc(2024, 1, 15, 22, 10)) // a hole of several minutes
        series.add(99.0, 101, 98.9, 100.9)
        let engulfing = try run(series.bars, through: &engine).filter { $0.strategy == .engulfing }
        #expect(engulfing.count == 1) // only the bearish one at 22:02
        #expect(engulfing.first?.updatedAt == utc(2024, 1, 15, 22, 3))
    }

    @Test("during the London/New York overlap the setup carries new_york")
    func overlapLabel() throws {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: utc(2024, 1, 15, 15))
        series.add(100, 100.2, 99.4, 99.5)
        series.add(99.4, 100.8, 99.3, 100.6)
        let setup = try #require(try run(series.bars, through: &engine).first { $0.strategy == .engulfing })
        #expect(setup.session == .newYork)
    }
}
