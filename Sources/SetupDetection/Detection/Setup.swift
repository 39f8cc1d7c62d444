/// A detected trading setup: the seed's fields (`strategy`, `entry`, `target`, `stop`,
/// `probability`, `session`, `updated_at`) plus the symbol and the direction.
public struct Setup: Hashable, Sendable {
    /// The instrument the setup is on.
    public var symbol: String
    /// The detector that found it.
    public var strategy: Strategy
    /// Long or short (an extra field on the wire; the seed does not forbid it).
    public var direction: TradeDirection
    /// The price at which the trade is entered.
    public var entry: Double
    /// The price that takes profit.
    public var target: Double
    /// The price that cuts the loss.
    public var stop: Double
    /// The smoothed hit rate of this strategy on this symbol and session when the setup was
    /// emitted: (hits + 1) / (resolved + 2).
    public var probability: Double
    /// The session the setup belongs to (`london` when no session window contains its bar).
    public var session: SessionName
    /// When the setup became known: the close time of the bar that produced it.
    public var updatedAt: UTCTime

    /// A setup from its parts.
    public init(
        symbol: String, strategy: Strategy, direction: TradeDirection, entry: Double, target: Double, stop: Double,
        probability: Double, session: SessionName, updatedAt: UTCTime
    ) {
        self.symbol = symbol
        self.strategy = strategy
        self.direction = direction
        self.entry = entry
        self.target = target
        self.stop = stop
        self.probability = probability
        self.session = session
        self.updatedAt = updatedAt
    }
}
