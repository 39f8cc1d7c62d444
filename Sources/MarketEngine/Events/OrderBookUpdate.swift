/// ORDERBOOK_UPDATE payload: the whole aggregated book of one outcome after a change.
///
/// The market and outcome the seed repeats beside the book are read from it (see
/// ``OrderUpdate``).
///
/// Built by the engine only, with the memberwise initializer (see ``OrderView``).
public struct OrderBookUpdate: Decodable, Hashable, Sendable {
    /// The book after the command.
    public var orderBook: OrderBookView
    /// Engine time (ms).
    public var timestamp: Int64

    /// Market id (the book's).
    public var marketId: String { orderBook.marketId }
    /// Outcome id (the book's).
    public var outcomeId: String { orderBook.outcomeId }
}
