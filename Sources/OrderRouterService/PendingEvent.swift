import MarketEngine

/// An engine event whose command is durable, waiting to be published on `market.{marketId}`.
public struct PendingEvent: Sendable {
    /// The event.
    public var event: MarketEvent
    /// `or-<journal sequence>-<index>`: stable across retries, so a broker that took a publish
    /// whose answer was lost drops the retry.
    public var idempotencyKey: String

    /// A pending event.
    public init(event: MarketEvent, idempotencyKey: String) {
        self.event = event
        self.idempotencyKey = idempotencyKey
    }
}
