/// How an order is priced.
public enum OrderType: String, Codable, Sendable, CaseIterable {
    /// Has a price; any remainder after matching rests in the book until filled or cancelled.
    case limit = "LIMIT"
    /// No price; takes what the book offers and cancels the rest (immediate or cancel).
    case market = "MARKET"
}
