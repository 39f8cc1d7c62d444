/// The last events the node processed, in sequence order, bounded: what a reconnecting client
/// resumes from without a round trip to the pipeline, under the same lock as the live fan-out
/// (so the hand-over from replay to live has no gap and no duplicate).
public struct RecentEvents: Sendable {
    /// Most events kept.
    public let capacity: Int
    private var events: [FeedEvent] = []
    /// Every event with a sequence greater than this is held (until trimmed).
    public private(set) var floor: UInt64

    /// An empty window holding everything after `floor`.
    public init(capacity: Int, floor: UInt64 = 0) {
        self.capacity = max(1, capacity)
        self.floor = floor
    }

    /// Number of events held.
    public var count: Int { events.count }

    /// Appends an event (sequences must increase), trimming the oldest beyond capacity.
    public mutating func append(_ event: FeedEvent) {
        events.append(event)
        if events.count > capacity + capacity / 4 + 1 {
            let drop = events.count - capacity
            floor = events[drop - 1].sequence
            events.removeFirst(drop)
        }
    }

    /// Whether every event after `after` is still held.
    public func covers(after: UInt64) -> Bool {
        after >= floor
    }

    /// The events with a sequence greater than `after`, or `nil` when some were trimmed.
    public func events(after: UInt64) -> ArraySlice<FeedEvent>? {
        guard covers(after: after) else { return nil }
        var low = 0
        var high = events.count
        while low < high {
            let middle = (low + high) / 2
            if events[middle].sequence <= after { low = middle + 1 } else { high = middle }
        }
        return events[low...]
    }
}
