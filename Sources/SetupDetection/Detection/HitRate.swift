/// The measured outcomes of one strategy on one symbol in one session, and the smoothed
/// probability derived from them.
public struct HitRate: Hashable, Sendable {
    /// Setups whose target was touched before their stop.
    public var hits: Int
    /// Setups whose stop was touched first, or on the same bar as the target.
    public var misses: Int

    /// Outcomes from counts; zero by default.
    public init(hits: Int = 0, misses: Int = 0) {
        self.hits = hits
        self.misses = misses
    }

    /// Setups resolved either way.
    public var resolved: Int { hits + misses }

    /// Laplace's rule of succession, the mean of a Beta(1, 1) prior updated with the outcomes:
    /// (hits + 1) / (resolved + 2). 0.5 with no history; never 0 or 1 after finitely many.
    public var probability: Double { Double(hits + 1) / Double(resolved + 2) }
}
