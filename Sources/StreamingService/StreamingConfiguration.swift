import Entitlements
import HTTPCore
import LiveRooms
import Pipeline
import WebSocketCore

/// Everything the streaming service reads from its environment, in one place.
///
/// Keys (besides `HOST`, `PORT` default 8000, `LOG_*`, `HTTP_MAX_BODY_BYTES`, `WS_*` and the
/// pipeline's `STREAMING_PIPELINE_*` / `STREAMING_REDIS_URL` / `STREAMING_NATS_URL`):
/// - `STREAMING_SERVICE_TOKEN_REPORTS`, `STREAMING_SERVICE_TOKEN_INPLAY`: required; tokens of
///   `POST /ingest/reports` and `POST /ingest/inplay`.
/// - `STREAMING_SERVICE_TOKEN`: optional; also accepted on `POST /ingest/reports` (the token
///   `order-router` presents).
/// - `STREAMING_ADMIN_TOKEN`: optional; the operator token of the session, moderation and
///   viewer-token endpoints. Unset: those endpoints answer 401 `admin_disabled`.
/// - `STREAMING_VIEWER_TOKEN_SECRET`: optional; HMAC key of signed viewer tokens (`?token=`).
/// - `STREAMING_QUERY_IDENTITY`: whether `?customer_id=` identifies a viewer (default `1`; set
///   `0` when browsers reach the service directly and only signed tokens should count).
/// - `STREAMING_ROOM_ID`: the default room of ingest (default `public-room`).
/// - `STREAMING_ROOMS`: optional comma-separated list of the rooms that exist (plus the
///   default room); unset: every well-formed room name exists.
/// - `STREAMING_ENTITLEMENTS_CAPABILITY`: the viewer capability (default `can.stream_public`).
/// - `STREAMING_HISTORY_CAPABILITY`: the capability of history and session reads (default
///   `can.stream`).
/// - `STREAMING_DATA_DIR`: where sessions and moderation are kept (default `./streaming-data`).
/// - `STREAMING_CHAT_MAX_LENGTH` (default 500), `STREAMING_CHAT_RATE_COUNT` (default 5),
///   `STREAMING_CHAT_RATE_WINDOW_SECONDS` (default 10).
/// - `STREAMING_REPLAY_PAGE_LIMIT`: largest page of `GET /rooms/{id}/events` (default 1000).
public struct StreamingConfiguration: Sendable {
    /// The default port of the service.
    public static let defaultPort = 8000

    /// Where and how the HTTP server runs.
    public var http: HTTPServerSettings
    /// WebSocket limits.
    public var webSocket: WebSocketSettings
    /// Tokens accepted on `POST /ingest/reports`.
    public var reportsTokens: [String]
    /// Tokens accepted on `POST /ingest/inplay`.
    public var inplayTokens: [String]
    /// The operator token; nil disables the operator endpoints.
    public var adminToken: String?
    /// The key of signed viewer tokens; nil disables them.
    public var viewerTokenSecret: String?
    /// Whether `?customer_id=` is accepted as a viewer identity.
    public var acceptsQueryIdentity: Bool
    /// The room of ingest without a room.
    public var defaultRoom: String
    /// The rooms that exist; nil when any well-formed name does.
    public var knownRooms: Set<String>?
    /// What a viewer needs to join.
    public var viewerCapability: String
    /// What a caller needs to read history and sessions.
    public var historyCapability: String
    /// Where state survives restarts; nil keeps it in memory only (tests).
    public var dataDirectory: String?
    /// Chat limits.
    public var chat: ChatPolicy
    /// Largest history page.
    public var replayPageLimit: Int

    /// A configuration with explicit values (tests, embedding); the defaults are the documented ones.
    public init(
        http: HTTPServerSettings = HTTPServerSettings(port: StreamingConfiguration.defaultPort),
        webSocket: WebSocketSettings = WebSocketSettings(),
        reportsTokens: [String],
        inplayTokens: [String],
        adminToken: String? = nil,
        viewerTokenSecret: String? = nil,
        acceptsQueryIdentity: Bool = true,
        defaultRoom: String = "public-room",
        knownRooms: Set<String>? = nil,
        viewerCapability: String = Capability.streamPublic,
        historyCapability: String = Capability.stream,
        dataDirectory: String? = nil,
        chat: ChatPolicy = ChatPolicy(),
        replayPageLimit: Int = 1000
    ) {
        self.http = http
        self.webSocket = webSocket
        self.reportsTokens = reportsTokens
        self.inplayTokens = inplayTokens
        self.adminToken = adminToken
        self.viewerTokenSecret = viewerTokenSecret
        self.acceptsQueryIdentity = acceptsQueryIdentity
        self.defaultRoom = defaultRoom
        self.knownRooms = knownRooms
        self.viewerCapability = viewerCapability
        self.historyCapability = historyCapability
        self.dataDirectory = dataDirectory
        self.chat = chat
        self.replayPageLimit = replayPageLimit
    }

    /// Reads the keys listed on the type; throws naming the variable at fault.
    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        let reports = try environment.requiredSecret("STREAMING_SERVICE_TOKEN_REPORTS")
        let inplay = try environment.requiredSecret("STREAMING_SERVICE_TOKEN_INPLAY")
        var reportsTokens = [reports]
        if let shared = environment.string("STREAMING_SERVICE_TOKEN"), shared != reports { reportsTokens.append(shared) }
        let defaultRoom = environment.string("STREAMING_ROOM_ID", default: "public-room")
        guard RoomName.isValid(defaultRoom) else {
            throw .invalid("STREAMING_ROOM_ID", "room names are 1 to 64 letters, digits, '-' or '_'")
        }
        let rooms = environment.list("STREAMING_ROOMS")
        if let bad = rooms.first(where: { !RoomName.isValid($0) }) {
            throw .invalid("STREAMING_ROOMS", "'\(bad)' is not a room name (1 to 64 letters, digits, '-' or '_')")
        }
        self.init(
            http: try HTTPServerSettings(environment: environment, defaultPort: Self.defaultPort),
            webSocket: try WebSocketSettings(environment: environment),
            reportsTokens: reportsTokens,
            inplayTokens: [inplay],
            adminToken: environment.string("STREAMING_ADMIN_TOKEN"),
            viewerTokenSecret: environment.string("STREAMING_VIEWER_TOKEN_SECRET"),
            acceptsQueryIdentity: try environment.bool("STREAMING_QUERY_IDENTITY", default: true),
            defaultRoom: defaultRoom,
            knownRooms: rooms.isEmpty ? nil : Set(rooms + [defaultRoom]),
            viewerCapability: environment.string("STREAMING_ENTITLEMENTS_CAPABILITY", default: Capability.streamPublic),
            historyCapability: environment.string("STREAMING_HISTORY_CAPABILITY", default: Capability.stream),
            dataDirectory: environment.string("STREAMING_DATA_DIR", default: "./streaming-data"),
            chat: ChatPolicy(
                maxLength: try environment.int("STREAMING_CHAT_MAX_LENGTH", default: 500, range: 1...100_000),
                maxMessages: try environment.int("STREAMING_CHAT_RATE_COUNT", default: 5, range: 1...100_000),
                windowMilliseconds: Int64(try environment.int("STREAMING_CHAT_RATE_WINDOW_SECONDS", default: 10, range: 1...86_400)) * 1000
            ),
            replayPageLimit: try environment.int("STREAMING_REPLAY_PAGE_LIMIT", default: 1000, range: 1...100_000)
        )
    }

    /// Whether `room` exists: well-formed and, when a list is configured, on it.
    public func roomExists(_ room: String) -> Bool {
        guard RoomName.isValid(room) else { return false }
        guard let knownRooms else { return true }
        return knownRooms.contains(room)
    }
}
