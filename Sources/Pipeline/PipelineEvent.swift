/// One event as stored on the pipeline and delivered to subscribers.
public struct PipelineEvent: Sendable, Equatable {
    /// The full subject, for example `market.m-1`.
    public var subject: String
    /// Monotonically increasing per stream (the subject's first token).
    public var sequence: UInt64
    /// When the pipeline accepted the event, in milliseconds since 1970.
    public var timestamp: Int64
    /// The opaque payload (JSON by convention).
    public var payload: [UInt8]

    public init(subject: String, sequence: UInt64, timestamp: Int64, payload: [UInt8]) {
        self.subject = subject
        self.sequence = sequence
        self.timestamp = timestamp
        self.payload = payload
    }
}
