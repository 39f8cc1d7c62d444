import HummingbirdWebSocket

extension WebSocketServerConfiguration {
    /// The server configuration for ``WebSocketSettings``: explicit frame limit, UTF-8
    /// validation on, server pings (a client that misses one is closed), close timeout.
    public init(settings: WebSocketSettings) {
        self.init(
            maxFrameSize: settings.maxFrameBytes,
            autoPing: .enabled(timePeriod: settings.pingInterval),
            closeTimeout: settings.closeTimeout,
            validateUTF8: true
        )
    }
}
