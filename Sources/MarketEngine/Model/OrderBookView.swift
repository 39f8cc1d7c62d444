/// The aggregated book of one outcome: bids best (highest) first, asks best (lowest) first.
///
/// `bestBid`/`bestAsk` are `null` when their side is empty; `spread` (= bestAsk − bestBid) is
/// `null` unless both sides have orders.
///
/// Built by the engine only, with the memberwise initializer (see ``OrderView``).
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
}
