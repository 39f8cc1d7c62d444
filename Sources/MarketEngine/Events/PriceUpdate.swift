/// PRICE_UPDATE payload: the price summary of every outcome of a market, sent when a best
/// price or the last price of one of them changed.
///
/// Built by the engine only, with the memberwise initializer (see ``OrderView``).
public struct PriceUpdate: Decodable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// One entry per outcome, in the market's outcome order.
    public var prices: [OutcomePrice]
    /// Engine time (ms).
    public var timestamp: Int64
}
