/// How long and how much each stream keeps, and how long idempotency keys are remembered.
/// Shared by every adapter so the three behave alike.
public struct PipelineRetention: Sendable, Equatable {
    /// Events older than this are trimmed (default 24 h).
    public var maxAge: Duration
    /// At most this many events per stream (nil: no length limit). Redis trims approximately
    /// (`MAXLEN ~`), keeping at least this many.
    public var maxLength: Int?
    /// An idempotency key seen within this window deduplicates (default 2 min, never more
    /// than `maxAge`).
    public var deduplicationWindow: Duration

    public init(maxAge: Duration = .seconds(86_400), maxLength: Int? = nil, deduplicationWindow: Duration = .seconds(120)) {
        self.maxAge = maxAge
        self.maxLength = maxLength
        self.deduplicationWindow = deduplicationWindow
    }

    /// The deduplication window clamped to the retention age (JetStream requires it).
    var effectiveDeduplicationWindow: Duration { min(deduplicationWindow, maxAge) }

    /// Milliseconds in `maxAge`.
    var maxAgeMilliseconds: Int64 { maxAge.milliseconds }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Whole nanoseconds, rounded down.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
