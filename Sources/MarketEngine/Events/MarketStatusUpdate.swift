/// MARKET_STATUS payload: the market moved to a new status.
public struct MarketStatusUpdate: Decodable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// The new status.
    public var status: MarketStatus
    /// Engine time (ms).
    public var timestamp: Int64

    /// A status payload.
    public init(marketId: String, status: MarketStatus, timestamp: Int64) {
        self.marketId = marketId
        self.status = status
        self.timestamp = timestamp
    }
}
