/// What an accepted command returns to its caller (the REST response body).
public enum CommandResult: Hashable, Sendable {
    /// The market after a create or status change.
    case market(MarketView)
    /// The order after a place or cancel (for an idempotent retry: the original order as it
    /// stands now).
    case order(OrderView)
}
