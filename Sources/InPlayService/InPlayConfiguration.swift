import HTTPCore
import Pipeline
import SetupDetection
import WebSocketCore

/// Everything the `inplay` service reads from its environment, read once, in one place.
///
/// Keys (defaults in brackets; docs/inplay.md has the full table):
/// - `INPLAY_WATCHLISTS` (required): `id=SYM,SYM;id=SYM`; malformed or unset stops the start
///   with a message naming the variable.
/// - `INPLAY_SERVICE_TOKEN` (required secret): what clients present as `Authorization: Bearer`
///   (or `?token=` on the WebSocket).
/// - `INPLAY_CSV_REPLAY` [unset]: a CSV file of bars replayed before the server accepts traffic.
/// - `INPLAY_CSV_BAR_SECONDS` [60]: the duration given to every replayed bar.
/// - `INPLAY_BAR_SUBJECTS` [`marketdata.bars.>`]: the pipeline filter bars are read from.
/// - `INPLAY_MAX_SETUPS_PER_SYMBOL` [20]: setups kept per symbol in the payloads.
/// - `STREAMING_INGEST_URL` + `STREAMING_SERVICE_TOKEN_INPLAY` [unset]: both set turns on the
///   forward of every `watchlist.update` to `{url}/ingest/inplay`; one without the other is an error.
/// - `INPLAY_STREAMING_ROOM` [`public-room`], `INPLAY_STREAMING_OUTBOX_CAPACITY` [1024].
/// - HTTP (`HOST`, `PORT` [8081], `LOG_LEVEL`, `LOG_FORMAT`, `HTTP_MAX_BODY_BYTES`), WebSocket
///   (`WS_*`) and pipeline (`STREAMING_PIPELINE_BACKEND`, `STREAMING_REDIS_URL`, ...) keys.
public struct InPlayConfiguration: Sendable {
    /// The port `inplay` listens on when `PORT` is unset.
    public static let defaultPort = 8081

    /// Where and how the HTTP server listens and logs.
    public var http: HTTPServerSettings
    /// Limits of `/inplay/ws`.
    public var webSocket: WebSocketSettings
    /// Which pipeline adapter carries bars in and updates out.
    public var pipeline: PipelineConfiguration
    /// The configured watchlists, in configuration order.
    public var watchlists: [Watchlist]
    /// The token clients must present.
    public var serviceToken: String
    /// A CSV file of bars to replay at start, if any.
    public var csvReplayPath: String?
    /// The duration of each replayed CSV bar.
    public var csvBarSeconds: Int64
    /// The pipeline filter the bar feed subscribes to.
    public var barSubjects: String
    /// How many setups each symbol keeps in the payloads.
    public var maximumSetupsPerSymbol: Int
    /// The forward to the `streaming` service, nil when not configured.
    public var streaming: StreamingForwardConfiguration?

    /// A configuration from its parts (tests, embedding).
    public init(
        http: HTTPServerSettings = HTTPServerSettings(port: InPlayConfiguration.defaultPort),
        webSocket: WebSocketSettings = WebSocketSettings(),
        pipeline: PipelineConfiguration = PipelineConfiguration(),
        watchlists: [Watchlist],
        serviceToken: String,
        csvReplayPath: String? = nil,
        csvBarSeconds: Int64 = 60,
        barSubjects: String = "marketdata.bars.>",
        maximumSetupsPerSymbol: Int = 20,
        streaming: StreamingForwardConfiguration? = nil
    ) {
        self.http = http
        self.webSocket = webSocket
        self.pipeline = pipeline
        self.watchlists = watchlists
        self.serviceToken = serviceToken
        self.csvReplayPath = csvReplayPath
        self.csvBarSeconds = csvBarSeconds
        self.barSubjects = barSubjects
        self.maximumSetupsPerSymbol = maximumSetupsPerSymbol
        self.streaming = streaming
    }

    /// Reads every key listed on the type; throws a ``ConfigurationError`` naming the variable
    /// at fault.
    public init(environment: EnvironmentReader) throws(ConfigurationError) {
        let watchlistText = try environment.requiredSecret(Watchlist.environmentVariable)
        let watchlists: [Watchlist]
        do {
            watchlists = try Watchlist.parseConfiguration(watchlistText)
        } catch {
            let prefix = "\(Watchlist.environmentVariable): "
            let text = error.description
            throw .invalid(Watchlist.environmentVariable, text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
        }
        guard !watchlists.isEmpty else { throw .invalid(Watchlist.environmentVariable, "defines no watchlist") }
        let pipeline: PipelineConfiguration
        do {
            pipeline = try PipelineConfiguration(environment: environment.values)
        } catch {
            throw .invalid("STREAMING_PIPELINE_*", error.description)
        }
        let ingestURL = environment.string("STREAMING_INGEST_URL")
        let ingestToken = environment.string("STREAMING_SERVICE_TOKEN_INPLAY")
        var streaming: StreamingForwardConfiguration?
        switch (ingestURL, ingestToken) {
        case (nil, nil):
            streaming = nil
        case (.some, nil):
            throw .missing("STREAMING_SERVICE_TOKEN_INPLAY")
        case (nil, .some):
            throw .missing("STREAMING_INGEST_URL")
        case (.some(let url), .some(let token)):
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw .invalid("STREAMING_INGEST_URL", "expected an http:// or https:// base URL, got '\(url)'")
            }
            streaming = StreamingForwardConfiguration(
                baseURL: url,
                token: token,
                room: environment.string("INPLAY_STREAMING_ROOM", default: StreamingForwardConfiguration.defaultRoom),
                outboxCapacity: try environment.int("INPLAY_STREAMING_OUTBOX_CAPACITY", default: 1024, range: 1...1_000_000)
            )
        }
        self.init(
            http: try HTTPServerSettings(environment: environment, defaultPort: Self.defaultPort),
            webSocket: try WebSocketSettings(environment: environment),
            pipeline: pipeline,
            watchlists: watchlists,
            serviceToken: try environment.requiredSecret("INPLAY_SERVICE_TOKEN"),
            csvReplayPath: environment.string("INPLAY_CSV_REPLAY"),
            csvBarSeconds: Int64(try environment.int("INPLAY_CSV_BAR_SECONDS", default: 60, range: 1...604_800)),
            barSubjects: environment.string("INPLAY_BAR_SUBJECTS", default: "marketdata.bars.>"),
            maximumSetupsPerSymbol: try environment.int("INPLAY_MAX_SETUPS_PER_SYMBOL", default: 20, range: 1...1000),
            streaming: streaming
        )
    }
}
