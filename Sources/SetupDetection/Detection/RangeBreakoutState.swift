/// ORB and IB for one symbol in one session: the high and low of the first minutes of the
/// window, then at most one long and one short breakout per window.
///
/// Rules: a bar whose start is before `window.start + rangeSeconds` widens the range; a later
/// bar closing above the range high gives a long (entry = range high, stop = range low,
/// target = entry + multiple × height); closing below the low gives the mirrored short. A
/// window whose first bar starts after the range period has no range and no breakout; a
/// range of zero height gives none either.
struct RangeBreakoutState {
    private var windowStart: Int64 = .min
    private var high = -Double.infinity
    private var low = Double.infinity
    private var longTaken = false
    private var shortTaken = false

    mutating func process(
        _ bar: Bar, window: SessionWindow, strategy: Strategy, rangeSeconds: Int64, targetMultiple: Double
    ) -> SetupCandidate? {
        let start = bar.start.secondsSinceEpoch
        if window.start.secondsSinceEpoch != windowStart {
            self = RangeBreakoutState()
            windowStart = window.start.secondsSinceEpoch
        }
        if start < windowStart + rangeSeconds {
            high = max(high, bar.high)
            low = min(low, bar.low)
            return nil
        }
        guard high > low else { return nil }
        let height = high - low
        if bar.close > high, !longTaken {
            longTaken = true
            return SetupCandidate(
                strategy: strategy, direction: .long, entry: high, target: high + targetMultiple * height, stop: low
            )
        }
        if bar.close < low, !shortTaken {
            shortTaken = true
            return SetupCandidate(
                strategy: strategy, direction: .short, entry: low, target: low - targetMultiple * height, stop: high
            )
        }
        return nil
    }
}
