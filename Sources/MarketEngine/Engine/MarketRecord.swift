/// A market inside the engine: its definition, status and where its books live.
struct MarketRecord: Sendable {
    var id: String
    var title: String?
    var outcomes: [Outcome]
    var status: MarketStatus
    /// Tick in millionths; divides 1_000_000.
    var tickRaw: Int64
    /// Index of the first outcome's book in ``MarketEngine/books``; outcome `i` is `firstBook + i`.
    var firstBook: Int
    var winningOutcome: Int?
    var createdAt: Int64
    /// Positions in this market in creation order (settled at resolution).
    var positions: [Int] = []
}
