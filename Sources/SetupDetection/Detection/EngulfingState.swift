/// Engulfing for one symbol: remembers the previous bar and tests each new bar against it.
///
/// Rules: the two bars must be contiguous (previous end == current start). Bullish: previous
/// bearish, current bullish, current open <= previous close and current close >= previous open,
/// current body strictly larger; entry = current close, stop = lower low of the two bars,
/// target = entry + multiple × (entry - stop). Bearish mirrored (stop = higher high).
struct EngulfingState {
    private var previousOpen = 0.0
    private var previousClose = 0.0
    private var previousHigh = 0.0
    private var previousLow = 0.0
    private var previousEnd: Int64 = .min

    mutating func process(_ bar: Bar, rewardMultiple: Double) -> SetupCandidate? {
        defer {
            previousOpen = bar.open
            previousClose = bar.close
            previousHigh = bar.high
            previousLow = bar.low
            previousEnd = bar.start.secondsSinceEpoch + bar.durationSeconds
        }
        guard previousEnd == bar.start.secondsSinceEpoch else { return nil }
        let previousBody = abs(previousClose - previousOpen)
        let body = abs(bar.close - bar.open)
        guard body > previousBody else { return nil }
        if previousClose < previousOpen, bar.close > bar.open,
           bar.open <= previousClose, bar.close >= previousOpen {
            let stop = min(previousLow, bar.low)
            let entry = bar.close
            guard entry > stop else { return nil }
            return SetupCandidate(
                strategy: .engulfing, direction: .long, entry: entry, target: entry + rewardMultiple * (entry - stop), stop: stop
            )
        }
        if previousClose > previousOpen, bar.close < bar.open,
           bar.open >= previousClose, bar.close <= previousOpen {
            let stop = max(previousHigh, bar.high)
            let entry = bar.close
            guard stop > entry else { return nil }
            return SetupCandidate(
                strategy: .engulfing, direction: .short, entry: entry, target: entry - rewardMultiple * (stop - entry), stop: stop
            )
        }
        return nil
    }
}
