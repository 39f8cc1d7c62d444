/// Whether an order buys or sells shares of an outcome.
public enum OrderSide: String, Codable, Sendable, CaseIterable {
    /// Buys shares; rests on the bid side.
    case buy = "BUY"
    /// Sells shares (possibly short); rests on the ask side.
    case sell = "SELL"
}
