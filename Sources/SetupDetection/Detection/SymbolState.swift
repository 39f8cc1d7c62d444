/// Everything the engine remembers about one symbol: detector state per session, the previous
/// bar for Engulfing, the setups still waiting for their target or stop, and hit rates.
struct SymbolState {
    /// One setup awaiting resolution.
    struct OpenSetup {
        var direction: TradeDirection
        var target: Double
        var stop: Double
        /// Index into ``statistics``.
        var statisticsSlot: Int
    }

    /// ORB, IB and Gap-Fill state of one session.
    struct SessionDetectors {
        var openingRange = RangeBreakoutState()
        var initialBalance = RangeBreakoutState()
        var gap = GapFillState()
    }

    var lastBarStart: Int64 = .min
    var sessions: [SessionDetectors]
    var engulfing = EngulfingState()
    var openSetups: [OpenSetup] = []
    /// Hit rates indexed by `strategy.index * labelCount + labelIndex`.
    var statistics: [HitRate]

    init(sessionCount: Int, labelCount: Int) {
        sessions = Array(repeating: SessionDetectors(), count: sessionCount)
        statistics = Array(repeating: HitRate(), count: Strategy.allCases.count * labelCount)
    }

    /// Settles the open setups this bar touches. Touching the target counts as a hit, the stop
    /// as a miss, both on the same bar as a miss (the order inside a bar is unknown).
    mutating func resolveOpenSetups(with bar: Bar) {
        guard !openSetups.isEmpty else { return }
        var kept = 0
        for index in openSetups.indices {
            let setup = openSetups[index]
            let touchedTarget: Bool
            let touchedStop: Bool
            switch setup.direction {
            case .long:
                touchedTarget = bar.high >= setup.target
                touchedStop = bar.low <= setup.stop
            case .short:
                touchedTarget = bar.low <= setup.target
                touchedStop = bar.high >= setup.stop
            }
            if touchedStop {
                statistics[setup.statisticsSlot].misses += 1
            } else if touchedTarget {
                statistics[setup.statisticsSlot].hits += 1
            } else {
                openSetups[kept] = setup
                kept += 1
            }
        }
        openSetups.removeLast(openSetups.count - kept)
    }

    /// Starts tracking a new setup, forgetting the oldest when the cap is reached.
    mutating func track(_ setup: OpenSetup, limit: Int) {
        guard limit > 0 else { return }
        if openSetups.count >= limit { openSetups.removeFirst(openSetups.count - limit + 1) }
        openSetups.append(setup)
    }
}
