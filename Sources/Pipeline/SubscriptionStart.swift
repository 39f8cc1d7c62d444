/// Where a subscription starts reading.
public enum SubscriptionStart: Sendable, Equatable {
    /// Only events published after the subscription is in place.
    case new
    /// Every stored event with a sequence greater than the given one, then live events.
    case after(UInt64)
}
