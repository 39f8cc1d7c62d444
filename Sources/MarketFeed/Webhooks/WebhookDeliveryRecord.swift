/// One line of an endpoint's delivery log (`GET /webhooks/{id}/deliveries`).
public struct WebhookDeliveryRecord: Codable, Hashable, Sendable {
    /// What happened to the attempt.
    public enum Outcome: String, Codable, Sendable {
        /// The receiver answered 2xx.
        case delivered
        /// The attempt failed; another follows after the backoff.
        case retrying
        /// The last allowed attempt failed; the event is given up.
        case abandoned
        /// The event waited longer than the retry window behind a failing one and is given up
        /// without an attempt.
        case expired
        /// The endpoint's queue was full; the oldest waiting event was dropped.
        case dropped
    }

    /// Pipeline sequence of the event (also the `X-Webhook-Event-Seq` header).
    public var seq: UInt64
    /// Event type.
    public var eventType: String
    /// Attempt number (0 for expired and dropped events).
    public var attempt: Int
    /// Outcome.
    public var outcome: Outcome
    /// HTTP status the receiver answered, if it answered.
    public var responseStatus: Int?
    /// Transport error (connection refused, timeout), if any.
    public var error: String?
    /// When the attempt ended (ms since the epoch).
    public var timestamp: Int64
    /// How long the attempt took (ms).
    public var durationMs: Int64

    /// A log line.
    public init(seq: UInt64, eventType: String, attempt: Int, outcome: Outcome, responseStatus: Int?, error: String?,
                timestamp: Int64, durationMs: Int64) {
        self.seq = seq
        self.eventType = eventType
        self.attempt = attempt
        self.outcome = outcome
        self.responseStatus = responseStatus
        self.error = error
        self.timestamp = timestamp
        self.durationMs = durationMs
    }
}
