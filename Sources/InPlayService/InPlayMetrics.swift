import CoreMetrics
import Metrics

/// The service's own metrics (exported at `/metrics` next to the HTTP and WebSocket ones).
public struct InPlayMetrics: Sendable {
    /// `inplay_bars_received_total{source}`: bars handed to detection (`rest`, `pipeline`, `csv`).
    let barsReceived: [BarSource: Counter]
    /// `inplay_bars_rejected_total{source}`: bars refused (malformed, inconsistent, out of order).
    let barsRejected: [BarSource: Counter]
    /// `inplay_watchlist_updates_total`: `watchlist.update` messages published.
    let updatesPublished = Counter(label: "inplay_watchlist_updates_total")
    /// `inplay_bar_processing_seconds`: time to run detection and publish for one batch of bars.
    let processing = Timer(label: "inplay_bar_processing_seconds")
    /// `inplay_pipeline_publish_failures_total`: updates that could not be published on `inplay.{id}`.
    let pipelinePublishFailures = Counter(label: "inplay_pipeline_publish_failures_total")
    /// `inplay_pipeline_publish_dropped_total`: updates dropped because the relay queue was full.
    let pipelinePublishDropped = Counter(label: "inplay_pipeline_publish_dropped_total")
    /// `inplay_streaming_forwarded_total`: updates accepted by the streaming service.
    let streamingForwarded = Counter(label: "inplay_streaming_forwarded_total")
    /// `inplay_streaming_failures_total`: failed post attempts (each is retried).
    let streamingFailures = Counter(label: "inplay_streaming_failures_total")
    /// `inplay_streaming_rejected_total`: updates the streaming service refused with a 4xx (not retried).
    let streamingRejected = Counter(label: "inplay_streaming_rejected_total")
    /// `inplay_streaming_dropped_total`: updates dropped from a full outbox (oldest first).
    let streamingDropped = Counter(label: "inplay_streaming_dropped_total")
    /// `inplay_streaming_outbox_depth`: updates waiting to be forwarded.
    let streamingOutboxDepth = Gauge(label: "inplay_streaming_outbox_depth")

    /// Registers the metrics with the process's metrics system.
    public init() {
        var received: [BarSource: Counter] = [:]
        var rejected: [BarSource: Counter] = [:]
        for source in BarSource.allCases {
            received[source] = Counter(label: "inplay_bars_received_total", dimensions: [("source", source.rawValue)])
            rejected[source] = Counter(label: "inplay_bars_rejected_total", dimensions: [("source", source.rawValue)])
        }
        barsReceived = received
        barsRejected = rejected
    }
}
