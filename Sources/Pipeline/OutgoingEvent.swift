/// One event to append with ``EventPipeline/publish(_:)``, the batch form of `publish`.
public struct OutgoingEvent: Sendable, Equatable {
    /// The full subject, for example `market.m-1`.
    public var subject: String
    /// The opaque payload (JSON by convention).
    public var payload: [UInt8]
    /// Deduplicates retries within the stream's window, as in the single `publish`.
    public var idempotencyKey: String?

    public init(subject: String, payload: [UInt8], idempotencyKey: String? = nil) {
        self.subject = subject
        self.payload = payload
        self.idempotencyKey = idempotencyKey
    }
}
