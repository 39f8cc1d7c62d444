/// Moves a market along its lifecycle (see ``MarketStatus`` for the legal moves).
public struct ChangeMarketStatus: Codable, Hashable, Sendable {
    /// Market to change.
    public var marketId: String
    /// Target status.
    public var status: MarketStatus
    /// Required when `status` is RESOLVED, refused otherwise.
    public var winningOutcomeId: String?

    /// A status change.
    public init(marketId: String, status: MarketStatus, winningOutcomeId: String? = nil) {
        self.marketId = marketId
        self.status = status
        self.winningOutcomeId = winningOutcomeId
    }
}
