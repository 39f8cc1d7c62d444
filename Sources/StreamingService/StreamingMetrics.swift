import Metrics

/// The service's own metrics (besides the shared HTTP and WebSocket ones), exported at
/// `/metrics`.
struct StreamingMetrics: Sendable {
    /// Events accepted by `POST /ingest/{source}`, by `source`.
    let ingestedReports = Counter(label: "streaming_ingested_total", dimensions: [("source", "reports")])
    let ingestedInplay = Counter(label: "streaming_ingested_total", dimensions: [("source", "inplay")])
    /// Room events read from the pipeline and fanned out to this process's viewers.
    let fannedOut = Counter(label: "streaming_events_fanned_out_total")
    /// Chat messages accepted.
    let chatAccepted = Counter(label: "streaming_chat_messages_total")
    /// Viewer messages refused, by `reason` (the error code).
    func chatRejected(_ code: String) {
        Counter(label: "streaming_chat_rejected_total", dimensions: [("reason", code)]).increment()
    }
    /// Moderation commands issued here, by `action`.
    func moderation(_ action: String) {
        Counter(label: "streaming_moderation_actions_total", dimensions: [("action", action)]).increment()
    }
    /// Upgrades refused before the socket, by `reason`.
    func viewerRefused(_ reason: String) {
        Counter(label: "streaming_viewers_refused_total", dimensions: [("reason", reason)]).increment()
    }
    /// Viewers that resumed with `last_seq`, and those told of a gap.
    let catchUps = Counter(label: "streaming_catchups_total")
    let catchUpGaps = Counter(label: "streaming_catchup_gaps_total")
    /// Events replayed to resuming viewers.
    let catchUpEvents = Counter(label: "streaming_catchup_events_total")
    /// Banned viewers' sockets closed with 4003.
    let bannedDisconnects = Counter(label: "streaming_banned_disconnects_total")
}
