/// Where and how `watchlist.update` messages are forwarded to the `streaming` service
/// (`POST {baseURL}/ingest/inplay`).
public struct StreamingForwardConfiguration: Sendable, Equatable {
    /// The room used when `INPLAY_STREAMING_ROOM` is unset: the streaming service's default room.
    public static let defaultRoom = "public-room"

    /// `STREAMING_INGEST_URL`, e.g. `http://streaming:8000` (a trailing `/` is ignored).
    public var baseURL: String
    /// `STREAMING_SERVICE_TOKEN_INPLAY`, sent as `Authorization: Bearer`.
    public var token: String
    /// The streaming room the updates are relayed to.
    public var room: String
    /// Updates waiting at most; beyond, the oldest is dropped and counted.
    public var outboxCapacity: Int
    /// The first retry delay after a failed post; doubles up to ``maximumBackoff``.
    public var initialBackoff: Duration
    /// The longest delay between retries.
    public var maximumBackoff: Duration
    /// How long one post may take before it counts as failed.
    public var requestTimeout: Duration

    /// A forward configuration from its parts.
    public init(
        baseURL: String, token: String, room: String = Self.defaultRoom, outboxCapacity: Int = 1024,
        initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(5)
    ) {
        self.baseURL = baseURL
        self.token = token
        self.room = room
        self.outboxCapacity = max(1, outboxCapacity)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.requestTimeout = requestTimeout
    }

    /// The full ingest URL.
    public var ingestURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/ingest/inplay"
    }
}
