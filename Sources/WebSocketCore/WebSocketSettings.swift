import HTTPCore

/// Limits and timers of a WebSocket endpoint.
///
/// Keys: `WS_MAX_FRAME_BYTES` (default 65536: larger inbound frames close with 1009),
/// `WS_MAX_MESSAGE_BYTES` (default 65536), `WS_MAX_QUEUED_MESSAGES` (default 4096: past this a
/// connection is a slow consumer and is closed with 4008), `WS_PING_INTERVAL_SECONDS`
/// (default 30: a client that does not answer a ping before the next one is closed),
/// `WS_MAX_CONNECTIONS` (default 20000: further upgrades get 503).
public struct WebSocketSettings: Sendable, Equatable {
    public var maxFrameBytes: Int
    public var maxMessageBytes: Int
    public var maxQueuedMessages: Int
    public var pingInterval: Duration
    public var maxConnections: Int
    public var closeTimeout: Duration

    public init(
        maxFrameBytes: Int = 1 << 16,
        maxMessageBytes: Int = 1 << 16,
        maxQueuedMessages: Int = 4096,
        pingInterval: Duration = .seconds(30),
        maxConnections: Int = 20_000,
        closeTimeout: Duration = .seconds(5)
    ) {
        self.maxFrameBytes = maxFrameBytes
        self.maxMessageBytes = maxMessageBytes
        self.maxQueuedMessages = maxQueuedMessages
        self.pingInterval = pingInterval
        self.maxConnections = maxConnections
        self.closeTimeout = closeTimeout
    }

    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        self.init(
            maxFrameBytes: try environment.int("WS_MAX_FRAME_BYTES", default: 1 << 16, range: 125...(1 << 24)),
            maxMessageBytes: try environment.int("WS_MAX_MESSAGE_BYTES", default: 1 << 16, range: 125...(1 << 26)),
            maxQueuedMessages: try environment.int("WS_MAX_QUEUED_MESSAGES", default: 4096, range: 1...1_000_000),
            pingInterval: .seconds(try environment.int("WS_PING_INTERVAL_SECONDS", default: 30, range: 1...3600)),
            maxConnections: try environment.int("WS_MAX_CONNECTIONS", default: 20_000, range: 1...1_000_000)
        )
    }
}
