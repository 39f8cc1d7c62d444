/// The setup families the service detects; the raw value is the `strategy` field on the wire.
public enum Strategy: String, CaseIterable, Hashable, Sendable, Codable {
    /// Opening-range breakout.
    case openingRangeBreakout = "ORB"
    /// Initial-balance breakout.
    case initialBalanceBreakout = "IB"
    /// Fade of the gap between the previous session's close and this session's open.
    case gapFill = "Gap-Fill"
    /// Bullish or bearish engulfing bar.
    case engulfing = "Engulfing"

    /// Position in `allCases`, used to index per-strategy statistics without hashing.
    var index: Int {
        switch self {
        case .openingRangeBreakout: 0
        case .initialBalanceBreakout: 1
        case .gapFill: 2
        case .engulfing: 3
        }
    }
}
