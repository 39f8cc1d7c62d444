/// A page of stored events returned by ``EventPipeline/replay(_:after:limit:)``.
public struct ReplayPage: Sendable, Equatable {
    /// The events, in sequence order.
    public var events: [PipelineEvent]
    /// The `after` to pass for the next page (the last event's sequence, or the request's
    /// `after` when the page is empty).
    public var nextAfter: UInt64
    /// The lowest sequence the stream still holds (0 when empty). When a caller asks for
    /// `after` lower than `firstAvailable - 1`, the events between were trimmed by retention
    /// and the caller must be told.
    public var firstAvailable: UInt64
    /// The highest sequence the stream holds (0 when empty).
    public var lastSequence: UInt64

    public init(events: [PipelineEvent], nextAfter: UInt64, firstAvailable: UInt64, lastSequence: UInt64) {
        self.events = events
        self.nextAfter = nextAfter
        self.firstAvailable = firstAvailable
        self.lastSequence = lastSequence
    }
}
