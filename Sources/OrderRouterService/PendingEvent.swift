import MarketEngine

/// An engine event whose command is durable, waiting to be published on `market.{marketId}`.
public struct PendingEvent: Sendable {
    /// The event.
    public var event: MarketEvent
    /// The journal sequence of the command that produced it.
    public var sequence: UInt64
    /// True for the command's last event: once it is published, the whole entry is
    /// (``PublishedWatermark``).
    public var endsEntry: Bool
    /// `or-<journal start>-<journal sequence>-<index>`: stable across retries and restarts, so
    /// a broker that took a publish whose answer was lost drops the retry. The journal start
    /// (the timestamp of its first entry) tells one journal from the next: a replaced journal
    /// counts from 1 again, and without it a broker would drop its events as the old ones'.
    public var idempotencyKey: String

    /// Event `index` of the `count` events of the command journaled at `sequence` in the
    /// journal whose first entry is timestamped `journalStart`.
    public init(event: MarketEvent, journalStart: Int64, sequence: UInt64, index: Int, count: Int) {
        self.event = event
        self.sequence = sequence
        self.endsEntry = index == count - 1
        self.idempotencyKey = "or-\(journalStart)-\(sequence)-\(index)"
    }

    /// Appends the events of the command journaled at `entry`, in order, to `pending`.
    public static func append(_ events: [MarketEvent], of entry: UInt64, journalStart: Int64, to pending: inout [PendingEvent]) {
        for (index, event) in events.enumerated() {
            pending.append(PendingEvent(event: event, journalStart: journalStart, sequence: entry, index: index, count: events.count))
        }
    }
}
