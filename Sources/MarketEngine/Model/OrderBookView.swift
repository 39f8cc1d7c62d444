/// The aggregated book of one outcome: bids best (highest) first, asks best (lowest) first.
///
/// `bestBid`/`bestAsk` are `null` when their side is empty; `spread` (= bestAsk − bestBid) is
/// `null` unless both sides have orders.
public struct OrderBookView: Codable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// Outcome id.
    public var outcomeId: String
    /// Buy levels, highest price first.
    public var bids: [BookLevel]
    /// Sell levels, lowest price first.
    public var asks: [BookLevel]
    /// Highest bid, if any.
    public var bestBid: FixedDecimal?
    /// Lowest ask, if any.
    public var bestAsk: FixedDecimal?
    /// bestAsk − bestBid when both exist.
    public var spread: FixedDecimal?
    /// When the book was read (ms).
    public var timestamp: Int64

    /// A book view.
    public init(marketId: String, outcomeId: String, bids: [BookLevel], asks: [BookLevel], bestBid: FixedDecimal?,
                bestAsk: FixedDecimal?, spread: FixedDecimal?, timestamp: Int64) {
        self.marketId = marketId
        self.outcomeId = outcomeId
        self.bids = bids
        self.asks = asks
        self.bestBid = bestBid
        self.bestAsk = bestAsk
        self.spread = spread
        self.timestamp = timestamp
    }
}
