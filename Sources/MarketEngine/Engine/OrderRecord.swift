/// An order inside the engine. Orders are never removed, so an order's index is its identity
/// (`ord-<index + 1>`) and idempotent retries can return it.
struct OrderRecord: Sendable {
    /// `ord-<index + 1>`, built once (a small inline string).
    var id: String
    var book: Int
    var operatorIndex: Int
    var position: Int
    var side: OrderSide
    var type: OrderType
    var status: OrderStatus
    /// Limit price as a tick number; 0 for market orders.
    var tick: Int
    /// Shares asked for, filled so far (millionths).
    var shares: Int64
    var filled: Int64 = 0
    /// Σ price × shares of fills in millionths², exact, for the average fill price.
    var fillNotional: Int128 = 0
    /// Id of the latest trade (`txn-<n>`), nil before any.
    var lastTrade: String?
    /// Neighbours in the price level's FIFO while resting.
    var previous = PriceLevel.none
    var next = PriceLevel.none
    var playerId: String
    var clientOrderId: String?
    var createdAt: Int64

    var remaining: Int64 { shares - filled }
}
