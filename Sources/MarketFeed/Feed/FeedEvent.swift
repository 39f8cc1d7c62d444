import Foundation
import MarketEngine

/// One market event as market-ws distributes it: decoded (to route it and keep snapshots),
/// with its pipeline sequence and the wire message that carries that sequence.
public struct FeedEvent: Sendable {
    /// The pipeline sequence of the `market` stream (one sequence across all markets).
    public let sequence: UInt64
    /// The decoded event.
    public let event: MarketEvent
    /// `{"type":"...","seq":N,"payload":{...}}`: the seed's message plus `seq`, encoded once.
    public let message: [UInt8]

    /// The event type (`TRADE`, `ORDER_UPDATE`...).
    public var type: String { event.type }
    /// The market it belongs to.
    public var marketId: String { event.marketId }
    /// Who may see it.
    public var visibility: EventVisibility { EventVisibility(of: event) }

    /// Wraps an already decoded event, encoding its message.
    public init(sequence: UInt64, event: MarketEvent) {
        self.sequence = sequence
        self.event = event
        self.message = FeedMessage.event(EventJSONEncoder().encode(event), type: event.type, sequence: sequence)
    }

    /// Decodes the seed JSON a pipeline event carries (what order-router publishes on
    /// `market.{marketId}`). The payload bytes are kept as published, with `seq` spliced in,
    /// so numbers reach clients exactly as the engine wrote them.
    public init(sequence: UInt64, payload: [UInt8]) throws(FeedError) {
        let event: MarketEvent
        do {
            event = try JSONDecoder().decode(MarketEvent.self, from: Data(payload))
        } catch {
            throw FeedError.undecodableEvent.with(detail: "sequence \(sequence): \(error)")
        }
        self.sequence = sequence
        self.event = event
        self.message = FeedMessage.event(payload, type: event.type, sequence: sequence, event: event)
    }
}
