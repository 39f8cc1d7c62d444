/// A market inside the engine: its definition, status and where its books live.
struct MarketRecord: Sendable {
    /// Market id.
    var id: String
    /// The question asked.
    var title: String?
    /// Outcome definitions.
    var outcomes: [Outcome]
    /// Lifecycle status.
    var status: MarketStatus
    /// Tick in millionths; divides 1_000_000.
    var tickRaw: Int64
    /// Index of the first outcome's book in ``MarketEngine/books``; outcome `i` is `firstBook + i`.
    var firstBook: Int
    /// Winning outcome index once resolved.
    var winningOutcome: Int?
    /// Creation time (ms).
    var createdAt: Int64
    /// Positions in this market in creation order (settled at resolution).
    var positions: [Int] = []
    /// The prices PRICE_UPDATE last carried: the next update refreshes their figures in this
    /// storage when no event holds it any more (it allocates nothing and copies no string);
    /// while one does (the service keeps events until their group commit), it writes a copy.
    var publishedPrices: [OutcomePrice] = []
}
