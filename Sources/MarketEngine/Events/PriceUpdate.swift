/// PRICE_UPDATE payload: the price summary of every outcome of a market, sent when a best
/// price or the last price of one of them changed.
public struct PriceUpdate: Decodable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// One entry per outcome, in the market's outcome order.
    public var prices: [OutcomePrice]
    /// Engine time (ms).
    public var timestamp: Int64

    /// A price payload.
    public init(marketId: String, prices: [OutcomePrice], timestamp: Int64) {
        self.marketId = marketId
        self.prices = prices
        self.timestamp = timestamp
    }
}
