/// ORDER_UPDATE payload: private to `operatorId`, the order's owner.
public struct OrderUpdate: Decodable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// Owner of the order: the only operator that may receive this event.
    public var operatorId: String
    /// The order after the command.
    public var order: OrderView
    /// Engine time (ms).
    public var timestamp: Int64

    /// An order payload.
    public init(marketId: String, operatorId: String, order: OrderView, timestamp: Int64) {
        self.marketId = marketId
        self.operatorId = operatorId
        self.order = order
        self.timestamp = timestamp
    }
}
