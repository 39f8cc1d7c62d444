import Testing
@testable import SetupDetection

@Suite("Hit-rate probability")
struct ProbabilityTests {
    @Test("Laplace smoothing: (hits + 1) / (resolved + 2)")
    func smoothing() {
        #expect(HitRate().probability == 0.5)
        #expect(HitRate(hits: 1).probability == 2.0 / 3.0)
        #expect(HitRate(hits: 3, misses: 1).probability == 4.0 / 6.0)
        #expect(HitRate(hits: 100).probability < 1)
        #expect(HitRate(misses: 100).probability > 0)
    }

    private enum Outcome { case hit, miss, both }

    /// A bullish engulfing pair at `base` (entry base+0.6, stop base-0.7, target base+3.2),
    /// then a bar that resolves it as asked, then a hole so the next pair stands alone.
    private func addPair(_ series: inout BarSeries, base p: Double, outcome: Outcome) {
        series.add(p, p + 0.2, p - 0.6, p - 0.5)
        series.add(p - 0.6, p + 0.8, p - 0.7, p + 0.6)
        switch outcome {
        case .hit: series.add(p + 0.6, p + 3.3, p + 0.5, p + 3.0)
        case .miss: series.add(p + 0.5, p + 0.7, p - 0.8, p - 0.7)
        case .both: series.add(p + 0.6, p + 3.3, p - 0.8, p + 0.6)
        }
        series.jump(to: series.next.adding(seconds: 300))
    }

    @Test("each setup carries the smoothed hit rate of earlier resolved setups; a bar touching both is a miss")
    func overSeveralSetups() throws {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: utc(2024, 1, 15, 21, 30))
        addPair(&series, base: 100, outcome: .hit)
        addPair(&series, base: 100, outcome: .miss)
        addPair(&series, base: 100, outcome: .both)
        addPair(&series, base: 100, outcome: .hit)
        addPair(&series, base: 100, outcome: .miss)
        let longs = try run(series.bars, through: &engine).filter { $0.strategy == .engulfing && $0.direction == .long }
        #expect(longs.count == 5)
        let expected = [0.5, 2.0 / 3.0, 2.0 / 4.0, 2.0 / 5.0, 3.0 / 6.0]
        for (setup, probability) in zip(longs, expected) {
            #expect(approx(setup.probability, probability), "\(setup.updatedAt): \(setup.probability)")
        }
        #expect(engine.hitRate(symbol: "AAPL", strategy: .engulfing, session: .london) == HitRate(hits: 2, misses: 3))
        #expect(engine.hitRate(symbol: "AAPL", strategy: .engulfing, session: .newYork) == HitRate())
        #expect(engine.openSetupCount(symbol: "AAPL") == 0)
    }

    @Test("the bar that emits a setup does not resolve it")
    func notResolvedByOwnBar() throws {
        var engine = SetupEngine()
        var series = BarSeries(startingAt: utc(2024, 1, 15, 22))
        series.add(100, 100.2, 99.4, 99.5)
        series.add(99.4, 100.8, 99.3, 100.6)
        _ = try run(series.bars, through: &engine)
        #expect(engine.openSetupCount(symbol: "AAPL") == 1)
        #expect(engine.hitRate(symbol: "AAPL", strategy: .engulfing, session: .london).resolved == 0)
    }

    @Test("the open-setup cap forgets the oldest setup without counting it")
    func openSetupCap() throws {
        var engine = SetupEngine(configuration: DetectorConfiguration(maximumOpenSetupsPerSymbol: 2))
        var series = BarSeries(startingAt: utc(2024, 1, 15, 22))
        for base in [100.0, 100.05, 100.1] { // each pair stays between the previous setup's stop and target
            series.add(base, base + 0.2, base - 0.6, base - 0.5)
            series.add(base - 0.6, base + 0.8, base - 0.7, base + 0.6)
            series.jump(to: series.next.adding(seconds: 300))
        }
        _ = try run(series.bars, through: &engine)
        #expect(engine.openSetupCount(symbol: "AAPL") == 2)
        #expect(engine.hitRate(symbol: "AAPL", strategy: .engulfing, session: .london).resolved == 0)
    }

    @Test("out-of-order and inconsistent bars are refused and change nothing")
    func refusedBars() throws {
        var engine = SetupEngine()
        let first = Bar(symbol: "AAPL", start: utc(2024, 1, 15, 22), open: 1, high: 1, low: 1, close: 1)
        _ = try engine.process(first)
        #expect(throws: SetupEngineError.outOfOrder(symbol: "AAPL", start: first.start, lastStart: first.start)) {
            try engine.process(first)
        }
        let inverted = Bar(symbol: "AAPL", start: utc(2024, 1, 15, 22, 5), open: 1, high: 0.5, low: 2, close: 1)
        #expect(throws: SetupEngineError.self) { try engine.process(inverted) }
    }
}
