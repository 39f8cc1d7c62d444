/// Gap-Fill for one symbol in one session: compares the open of the symbol's first bar in a
/// window with the close of its last bar in the previous window of the same session (the
/// previous trading day on which it traded in that session).
///
/// Rules: gap = open - previous close; when |gap| >= threshold × |previous close| (to within a
/// relative 1e-9) and gap is not zero, the setup fades the gap: entry = open, target = previous close, stop = open + gap
/// (gap up: short, stop above) or open - |gap| (gap down: long, stop below). Reward equals risk.
struct GapFillState {
    private var windowStart: Int64 = .min
    private var lastClose: Double?

    mutating func process(_ bar: Bar, window: SessionWindow, thresholdFraction: Double) -> SetupCandidate? {
        defer { lastClose = bar.close }
        guard window.start.secondsSinceEpoch != windowStart else { return nil }
        let isFirstWindow = windowStart == .min
        windowStart = window.start.secondsSinceEpoch
        guard !isFirstWindow, let previousClose = lastClose else { return nil }
        let gap = bar.open - previousClose
        // The 1e-9 relative slack keeps a gap of exactly the threshold (100 -> 100.1 at 0.1 %)
        // from being lost to binary rounding.
        guard gap != 0, abs(gap) >= thresholdFraction * abs(previousClose) * (1 - 1e-9) else { return nil }
        return SetupCandidate(
            strategy: .gapFill, direction: gap > 0 ? .short : .long,
            entry: bar.open, target: previousClose, stop: bar.open + gap
        )
    }
}
