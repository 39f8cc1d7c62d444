/// An operator's holding in one outcome, kept by the average-cost method.
///
/// `shares` is signed (negative = short). `totalCost` is the cost of the open shares (negative
/// for a short: the proceeds received), `avgPrice` = |totalCost| / |shares| (0 when flat).
/// Closing shares realises `exit value − cost share` into `realizedPnl`; resolution pays 1 per
/// winning share, 0 otherwise, and flattens the position.
///
/// Built by the engine only, with the memberwise initializer (see ``OrderView``).
public struct PositionView: Codable, Hashable, Sendable {
    /// Engine-assigned id (`pos-<n>`).
    public var id: String
    /// Market of the outcome.
    public var marketId: String
    /// Outcome held.
    public var outcomeId: String
    /// Owner.
    public var operatorId: String
    /// Signed share count.
    public var shares: FixedDecimal
    /// Average entry price of the open shares.
    public var avgPrice: FixedDecimal
    /// Cost of the open shares (signed like `shares`).
    public var totalCost: FixedDecimal
    /// Profit and loss realised by closing trades and resolution.
    public var realizedPnl: FixedDecimal
}
