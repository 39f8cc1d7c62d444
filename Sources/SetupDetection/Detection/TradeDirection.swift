/// Which way a setup trades; `long` profits when price rises to the target above the entry.
public enum TradeDirection: String, Hashable, Sendable, Codable {
    /// Buy at entry, target above, stop below.
    case long
    /// Sell at entry, target below, stop above.
    case short
}
