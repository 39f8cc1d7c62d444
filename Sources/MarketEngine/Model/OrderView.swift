/// An order as ORDER_UPDATE and the REST layer show it (exactly the seed's fields).
///
/// In the seed's JSON every amount of an order is a string (`"shares": "50"`);
/// `price` is `null` for market orders, `avgFillPrice` and `transactionId` are `null` until the
/// first fill. `transactionId` is the id of the order's latest trade.
///
/// Only the engine builds this view, and the position, book and price views and the events
/// that carry them, with their memberwise initializers. An explicit
/// initializer keeps `self` in a stack slot the optimizer does not promote for a value this
/// size: returning it copied every string and then released the original, a retain and a
/// release per string per event.
public struct OrderView: Codable, Hashable, Sendable {
    /// Engine-assigned id (`ord-<n>`).
    public var id: String
    /// Market of the order.
    public var marketId: String
    /// Outcome whose book the order is in.
    public var outcomeId: String
    /// Operator that owns the order.
    public var operatorId: String
    /// The operator's player the order is for.
    public var playerId: String
    /// Buy or sell.
    public var side: OrderSide
    /// Limit or market.
    public var type: OrderType
    /// Shares asked for.
    public var shares: FixedDecimal
    /// Limit price; `nil` for market orders.
    public var price: FixedDecimal?
    /// Shares filled so far.
    public var filledShares: FixedDecimal
    /// Share-weighted average fill price; `nil` before the first fill.
    public var avgFillPrice: FixedDecimal?
    /// Shares still resting (zero once filled or cancelled).
    public var remainingShares: FixedDecimal
    /// Lifecycle status.
    public var status: OrderStatus
    /// Id of the latest trade of this order (`txn-<n>`); `nil` before the first fill.
    public var transactionId: String?
}
