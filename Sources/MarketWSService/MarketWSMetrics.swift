import Metrics

/// market-ws's own metrics (besides the HTTP and WebSocket ones of the foundation).
///
/// - `market_ws_events_total`: market events taken from the pipeline and applied.
/// - `market_ws_events_undecodable_total`: pipeline payloads that were not market events (skipped).
/// - `market_ws_messages_queued_total`: event messages queued on sockets (one per subscriber).
/// - `market_ws_last_sequence`: the last pipeline sequence applied.
/// - `market_ws_resumes_total`: subscriptions that resumed with `fromSeq`.
/// - `market_ws_webhook_attempts_total{outcome}`: webhook log lines by outcome (delivered,
///   retrying, abandoned, expired, dropped).
/// - `market_ws_replay_requests_total`: `GET /events` pages served.
public struct MarketWSMetrics: Sendable {
    let events = Counter(label: "market_ws_events_total")
    let undecodable = Counter(label: "market_ws_events_undecodable_total")
    let queued = Counter(label: "market_ws_messages_queued_total")
    let lastSequence = Gauge(label: "market_ws_last_sequence")
    let resumes = Counter(label: "market_ws_resumes_total")
    let replayRequests = Counter(label: "market_ws_replay_requests_total")

    /// The metrics, registered with the process's metrics backend.
    public init() {}

    func webhookAttempt(outcome: String) {
        Counter(label: "market_ws_webhook_attempts_total", dimensions: [("outcome", outcome)]).increment()
    }
}
