/// Where an order is in its life.
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    /// Resting, nothing filled.
    case open = "OPEN"
    /// Resting with part filled.
    case partiallyFilled = "PARTIALLY_FILLED"
    /// Completely filled.
    case filled = "FILLED"
    /// Cancelled by its owner, by self-trade prevention, by an IOC remainder or by the market
    /// closing; `filledShares` tells whether anything traded before.
    case cancelled = "CANCELLED"

    /// True while the order rests in the book.
    public var isOpen: Bool { self == .open || self == .partiallyFilled }
}
