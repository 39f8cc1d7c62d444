/// One OHLCV bar of one symbol: the unit every detector consumes.
public struct Bar: Hashable, Sendable {
    /// The instrument, as named in `INPLAY_WATCHLISTS` (matched exactly, case included).
    public var symbol: String
    /// When the bar opens, in UTC.
    public var start: UTCTime
    /// How long the bar lasts, in seconds (60 for one-minute bars).
    public var durationSeconds: Int64
    /// First traded price of the bar.
    public var open: Double
    /// Highest traded price of the bar.
    public var high: Double
    /// Lowest traded price of the bar.
    public var low: Double
    /// Last traded price of the bar.
    public var close: Double
    /// Traded volume over the bar.
    public var volume: Double

    /// A bar from its parts; ``validationProblem`` says whether the prices are consistent.
    public init(
        symbol: String, start: UTCTime, durationSeconds: Int64 = 60,
        open: Double, high: Double, low: Double, close: Double, volume: Double = 0
    ) {
        self.symbol = symbol
        self.start = start
        self.durationSeconds = durationSeconds
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// When the bar closes: the moment its setups become known (their `updated_at`).
    public var end: UTCTime { start.adding(seconds: durationSeconds) }

    /// True when the close is above the open.
    public var isBullish: Bool { close > open }
    /// True when the close is below the open.
    public var isBearish: Bool { close < open }

    /// Why this bar cannot be used, or nil when it is consistent: finite prices, low <= open,
    /// close <= high, volume >= 0, positive duration, non-empty symbol.
    public var validationProblem: String? {
        if symbol.isEmpty { return "empty symbol" }
        if durationSeconds <= 0 { return "duration must be positive, got \(durationSeconds)s" }
        guard open.isFinite, high.isFinite, low.isFinite, close.isFinite, volume.isFinite else {
            return "prices and volume must be finite numbers"
        }
        if low > high { return "low \(low) is above high \(high)" }
        if open > high || open < low { return "open \(open) is outside low..high \(low)...\(high)" }
        if close > high || close < low { return "close \(close) is outside low..high \(low)...\(high)" }
        if volume < 0 { return "volume \(volume) is negative" }
        return nil
    }
}
