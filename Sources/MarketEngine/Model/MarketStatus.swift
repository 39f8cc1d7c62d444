/// Where a market is in its life. Only OPEN accepts orders.
///
/// Legal transitions (anything else is ``EngineError/illegalTransition``, including a move to
/// the current status):
/// - OPEN → SUSPENDED, SUSPENDED → OPEN: pause and resume trading; resting orders stay and may
///   be cancelled, none are matched.
/// - OPEN → CLOSED, SUSPENDED → CLOSED: trading ends; open orders are cancelled.
/// - OPEN, SUSPENDED or CLOSED → RESOLVED (with a winning outcome): open orders are cancelled
///   and positions settle (winning shares pay 1, the others 0).
/// RESOLVED is final.
public enum MarketStatus: String, Codable, Sendable, CaseIterable {
    /// Trading.
    case open = "OPEN"
    /// Paused: no new orders, resting orders kept.
    case suspended = "SUSPENDED"
    /// Trading over, waiting for the result.
    case closed = "CLOSED"
    /// Settled with a winning outcome.
    case resolved = "RESOLVED"

    /// True when the lifecycle allows moving from `self` to `next`.
    public func canMove(to next: MarketStatus) -> Bool {
        switch (self, next) {
        case (.open, .suspended), (.suspended, .open): true
        case (.open, .closed), (.suspended, .closed): true
        case (.open, .resolved), (.suspended, .resolved), (.closed, .resolved): true
        default: false
        }
    }
}
