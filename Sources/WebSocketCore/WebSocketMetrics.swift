import Metrics

/// Connection metrics of one WebSocket endpoint (labels: `endpoint`):
/// `ws_connections` (gauge), `ws_connections_total`, `ws_messages_out_total`,
/// `ws_bytes_out_total`, `ws_messages_in_total`, `ws_slow_consumer_closes_total`,
/// `ws_rejected_connections_total`.
public struct WebSocketMetrics: Sendable {
    private let connections: Gauge
    private let opened: Counter
    private let messagesOut: Counter
    private let bytesOut: Counter
    private let messagesIn: Counter
    private let slowConsumerCloses: Counter
    private let rejected: Counter

    public init(endpoint: String) {
        let dimensions = [("endpoint", endpoint)]
        connections = Gauge(label: "ws_connections", dimensions: dimensions)
        opened = Counter(label: "ws_connections_total", dimensions: dimensions)
        messagesOut = Counter(label: "ws_messages_out_total", dimensions: dimensions)
        bytesOut = Counter(label: "ws_bytes_out_total", dimensions: dimensions)
        messagesIn = Counter(label: "ws_messages_in_total", dimensions: dimensions)
        slowConsumerCloses = Counter(label: "ws_slow_consumer_closes_total", dimensions: dimensions)
        rejected = Counter(label: "ws_rejected_connections_total", dimensions: dimensions)
    }

    func connectionCount(_ count: Int) { connections.record(count) }
    func connectionOpened() { opened.increment() }
    func sent(messages: Int, bytes: Int) {
        messagesOut.increment(by: messages)
        bytesOut.increment(by: bytes)
    }
    func received() { messagesIn.increment() }
    func slowConsumerClosed() { slowConsumerCloses.increment() }
    func connectionRejected() { rejected.increment() }
}
