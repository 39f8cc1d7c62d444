/// A market as the REST layer shows it.
public struct MarketView: Codable, Hashable, Sendable {
    /// Market id.
    public var id: String
    /// The question asked, if any.
    public var title: String?
    /// The outcomes, each with its own order book.
    public var outcomes: [Outcome]
    /// Lifecycle status.
    public var status: MarketStatus
    /// Price step of every book of the market.
    public var tickSize: FixedDecimal
    /// The winning outcome once RESOLVED.
    public var winningOutcomeId: String?
    /// Creation time (ms since epoch, from the engine clock).
    public var createdAt: Int64

    /// A market view.
    public init(id: String, title: String?, outcomes: [Outcome], status: MarketStatus, tickSize: FixedDecimal,
                winningOutcomeId: String?, createdAt: Int64) {
        self.id = id
        self.title = title
        self.outcomes = outcomes
        self.status = status
        self.tickSize = tickSize
        self.winningOutcomeId = winningOutcomeId
        self.createdAt = createdAt
    }
}
