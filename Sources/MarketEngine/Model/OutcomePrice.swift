/// Price summary of one outcome, an entry of PRICE_UPDATE's `prices`.
///
/// `null` rules: `bestBid`/`bestAsk` when the side is empty; `midPrice` and `spread` unless
/// both sides have orders (mid = (bid + ask) / 2 is exact: ticks have at most 4 decimals);
/// `lastPrice` before the first trade. `volume24h` is the shares
/// traded in the trailing 24 hours (5-minute buckets).
///
/// Built by the engine only, with the memberwise initializer (see ``OrderView``).
public struct OutcomePrice: Codable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// Outcome id.
    public var outcomeId: String
    /// Outcome display name.
    public var outcomeName: String
    /// Highest bid, if any.
    public var bestBid: FixedDecimal?
    /// Lowest ask, if any.
    public var bestAsk: FixedDecimal?
    /// Price of the latest trade, if any.
    public var lastPrice: FixedDecimal?
    /// (bestBid + bestAsk) / 2 when both exist.
    public var midPrice: FixedDecimal?
    /// bestAsk − bestBid when both exist.
    public var spread: FixedDecimal?
    /// Shares traded in the trailing 24 hours.
    public var volume24h: FixedDecimal
}
