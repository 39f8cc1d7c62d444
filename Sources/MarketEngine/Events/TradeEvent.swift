/// TRADE payload: one fill between an incoming order and a resting one, public to the market.
///
/// `price` is the resting order's price; `side` is the incoming (aggressor) order's side.
public struct TradeEvent: Decodable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// Outcome id.
    public var outcomeId: String
    /// Execution price (JSON number).
    public var price: FixedDecimal
    /// Shares exchanged (JSON number).
    public var shares: FixedDecimal
    /// Side of the aggressor.
    public var side: OrderSide
    /// Engine time (ms).
    public var timestamp: Int64

    /// A trade payload.
    public init(marketId: String, outcomeId: String, price: FixedDecimal, shares: FixedDecimal, side: OrderSide, timestamp: Int64) {
        self.marketId = marketId
        self.outcomeId = outcomeId
        self.price = price
        self.shares = shares
        self.side = side
        self.timestamp = timestamp
    }
}
