/// One aggregated price level of an order book, as ORDERBOOK_UPDATE shows it.
public struct BookLevel: Codable, Hashable, Sendable {
    /// Level price.
    public var price: FixedDecimal
    /// Sum of the remaining shares resting at this price.
    public var shares: FixedDecimal
    /// Number of resting orders at this price.
    public var orderCount: Int

    /// A level.
    public init(price: FixedDecimal, shares: FixedDecimal, orderCount: Int) {
        self.price = price
        self.shares = shares
        self.orderCount = orderCount
    }
}
