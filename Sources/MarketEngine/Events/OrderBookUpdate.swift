/// ORDERBOOK_UPDATE payload: the whole aggregated book of one outcome after a change.
public struct OrderBookUpdate: Decodable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// Outcome id.
    public var outcomeId: String
    /// The book after the command.
    public var orderBook: OrderBookView
    /// Engine time (ms).
    public var timestamp: Int64

    /// A book payload.
    public init(marketId: String, outcomeId: String, orderBook: OrderBookView, timestamp: Int64) {
        self.marketId = marketId
        self.outcomeId = outcomeId
        self.orderBook = orderBook
        self.timestamp = timestamp
    }
}
