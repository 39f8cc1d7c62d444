/// An operator's order for one outcome of an OPEN market.
public struct PlaceOrder: Codable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// Outcome whose book receives the order.
    public var outcomeId: String
    /// Buy or sell.
    public var side: OrderSide
    /// Limit (rests) or market (immediate or cancel).
    public var type: OrderType
    /// Positive, at most ``MarketEngine/maximumOrderShares``.
    public var shares: FixedDecimal
    /// Required for LIMIT (strictly inside (0, 1), on the tick); must be absent for MARKET.
    public var price: FixedDecimal?
    /// Authenticated operator placing the order.
    public var operatorId: String
    /// The operator's player the order is for.
    public var playerId: String
    /// Idempotency key: the same operator and key return the original order, changing nothing.
    public var clientOrderId: String?

    /// An order request.
    public init(marketId: String, outcomeId: String, side: OrderSide, type: OrderType, shares: FixedDecimal,
                price: FixedDecimal?, operatorId: String, playerId: String, clientOrderId: String? = nil) {
        self.marketId = marketId
        self.outcomeId = outcomeId
        self.side = side
        self.type = type
        self.shares = shares
        self.price = price
        self.operatorId = operatorId
        self.playerId = playerId
        self.clientOrderId = clientOrderId
    }
}
