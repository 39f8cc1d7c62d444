/// Runs the four detectors over bars, symbol by symbol, and measures their hit rates.
///
/// Feed each symbol's bars in time order (symbols may interleave freely). Per bar the cost is
/// a dictionary probe for the symbol, a cached session lookup, O(1) work per detector and a
/// scan of that symbol's open setups (capped by
/// ``DetectorConfiguration/maximumOpenSetupsPerSymbol``).
///
/// A value type: one owner (an actor, a task) mutates it; copies are independent.
public struct SetupEngine: Sendable {
    /// The detector rules in force.
    public let configuration: DetectorConfiguration
    /// The sessions and their cached windows.
    public private(set) var calendar: SessionCalendar

    /// Session names setups can carry: the calendar's sessions, plus the default when it is
    /// not one of them.
    private let labels: [SessionName]
    private let defaultLabelIndex: Int
    private var symbolIndices: [String: Int] = [:]
    private var symbolStates: [SymbolState] = []

    /// An engine with the given rules over the given sessions (the standard three by default).
    public init(configuration: DetectorConfiguration = DetectorConfiguration(), calendar: SessionCalendar = SessionCalendar()) {
        self.configuration = configuration
        self.calendar = calendar
        var labels = calendar.sessions.map(\.name)
        if let index = labels.firstIndex(of: calendar.defaultSession) {
            defaultLabelIndex = index
        } else {
            defaultLabelIndex = labels.count
            labels.append(calendar.defaultSession)
        }
        self.labels = labels
    }

    /// The number of distinct symbols seen so far.
    public var symbolCount: Int { symbolStates.count }

    /// Processes one bar: settles the symbol's open setups against it, then runs ORB, IB and
    /// Gap-Fill in every session window containing the bar's start and Engulfing once.
    /// Returns the setups the bar produced (usually none), in detection order.
    public mutating func process(_ bar: Bar) throws(SetupEngineError) -> [Setup] {
        if let problem = bar.validationProblem { throw .invalidBar(symbol: bar.symbol, reason: problem) }
        let symbolIndex = index(of: bar.symbol)
        let start = bar.start.secondsSinceEpoch
        let lastStart = symbolStates[symbolIndex].lastBarStart
        guard start > lastStart else {
            throw .outOfOrder(symbol: bar.symbol, start: bar.start, lastStart: UTCTime(secondsSinceEpoch: lastStart))
        }
        symbolStates[symbolIndex].lastBarStart = start
        symbolStates[symbolIndex].resolveOpenSetups(with: bar)

        var found: [Setup] = []
        let windows = calendar.windowsOverlappingDay(of: bar.start)
        var primary: SessionWindow?
        for window in windows where window.contains(bar.start) {
            if primary.map({ window.start > $0.start }) ?? true { primary = window }
            let (openingRange, initialBalance, gap) = detectInSession(bar, window: window, symbolIndex: symbolIndex)
            let labelIndex = window.sessionIndex
            if let openingRange { found.append(emit(openingRange, bar: bar, symbolIndex: symbolIndex, labelIndex: labelIndex)) }
            if let initialBalance { found.append(emit(initialBalance, bar: bar, symbolIndex: symbolIndex, labelIndex: labelIndex)) }
            if let gap { found.append(emit(gap, bar: bar, symbolIndex: symbolIndex, labelIndex: labelIndex)) }
        }
        if let candidate = symbolStates[symbolIndex].engulfing.process(bar, rewardMultiple: configuration.engulfingRewardMultiple) {
            let labelIndex = primary?.sessionIndex ?? defaultLabelIndex
            found.append(emit(candidate, bar: bar, symbolIndex: symbolIndex, labelIndex: labelIndex))
        }
        return found
    }

    /// The outcomes measured so far for a strategy on a symbol in a session; zero when unseen.
    public func hitRate(symbol: String, strategy: Strategy, session: SessionName) -> HitRate {
        guard let symbolIndex = symbolIndices[symbol], let labelIndex = labels.firstIndex(of: session) else {
            return HitRate()
        }
        return symbolStates[symbolIndex].statistics[strategy.index * labels.count + labelIndex]
    }

    /// The number of setups of a symbol still waiting for their target or stop.
    public func openSetupCount(symbol: String) -> Int {
        symbolIndices[symbol].map { symbolStates[$0].openSetups.count } ?? 0
    }

    // MARK: - Internals

    private mutating func index(of symbol: String) -> Int {
        if let index = symbolIndices[symbol] { return index }
        let index = symbolStates.count
        symbolStates.append(SymbolState(sessionCount: calendar.sessions.count, labelCount: labels.count))
        symbolIndices[symbol] = index
        return index
    }

    private mutating func detectInSession(_ bar: Bar, window: SessionWindow, symbolIndex: Int) -> (SetupCandidate?, SetupCandidate?, SetupCandidate?) {
        let rules = configuration
        let sessionIndex = window.sessionIndex
        let openingRange = symbolStates[symbolIndex].sessions[sessionIndex].openingRange.process(
            bar, window: window, strategy: .openingRangeBreakout,
            rangeSeconds: Int64(rules.openingRangeMinutes) * 60, targetMultiple: rules.openingRangeTargetMultiple
        )
        let initialBalance = symbolStates[symbolIndex].sessions[sessionIndex].initialBalance.process(
            bar, window: window, strategy: .initialBalanceBreakout,
            rangeSeconds: Int64(rules.initialBalanceMinutes) * 60, targetMultiple: rules.initialBalanceTargetMultiple
        )
        let gap = symbolStates[symbolIndex].sessions[sessionIndex].gap.process(
            bar, window: window, thresholdFraction: rules.gapThresholdFraction
        )
        return (openingRange, initialBalance, gap)
    }

    private mutating func emit(_ candidate: SetupCandidate, bar: Bar, symbolIndex: Int, labelIndex: Int) -> Setup {
        let slot = candidate.strategy.index * labels.count + labelIndex
        let setup = Setup(
            symbol: bar.symbol, strategy: candidate.strategy, direction: candidate.direction,
            entry: candidate.entry, target: candidate.target, stop: candidate.stop,
            probability: symbolStates[symbolIndex].statistics[slot].probability,
            session: labels[labelIndex], updatedAt: bar.end
        )
        symbolStates[symbolIndex].track(
            SymbolState.OpenSetup(direction: candidate.direction, target: candidate.target, stop: candidate.stop, statisticsSlot: slot),
            limit: configuration.maximumOpenSetupsPerSymbol
        )
        return setup
    }
}
