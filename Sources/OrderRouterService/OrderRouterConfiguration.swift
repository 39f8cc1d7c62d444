import HTTPCore
import MarketEngine
import Pipeline

/// Everything order-router reads from its environment, in one place.
///
/// Keys (besides `HOST`, `PORT` (default 8085), `LOG_LEVEL`, `LOG_FORMAT`, `HTTP_MAX_BODY_BYTES`
/// of ``HTTPServerSettings`` and the `STREAMING_PIPELINE_*` keys of ``PipelineConfiguration``):
/// - `ORDER_ROUTER_ADMIN_TOKEN` (required): the token guarding market management.
/// - `OPERATOR_KEYS_FILE` or `OPERATOR_API_KEYS` (one required): operator API keys.
/// - `ORDER_ROUTER_JOURNAL_PATH`: the append-only journal, default `./data/order-router.journal`.
/// - `ORDER_ROUTER_EVENT_OUTBOX_CAPACITY`: events waiting for the pipeline before new commands
///   get 503, default 100000.
/// - `ORDER_ROUTER_MAX_BATCH_ORDERS`: most orders one `POST /orders/batch` carries, default 100
///   (1...10000).
/// - `STREAMING_INGEST_URL`: base URL of `streaming`; unset disables execution reports.
/// - `STREAMING_SERVICE_TOKEN`: bearer token for `POST /ingest/reports` (required when
///   `STREAMING_INGEST_URL` is set).
/// - `STREAMING_ROOM_ID`: room of the reports, default `public-room`.
/// - `ORDER_ROUTER_REPORT_OUTBOX_CAPACITY`: reports kept while streaming is away, default 10000
///   (the oldest is dropped beyond).
public struct OrderRouterConfiguration: Sendable {
    /// Default HTTP port of the service.
    public static let defaultPort = 8085

    /// Where and how the HTTP server runs.
    public var http: HTTPServerSettings
    /// Token that market management requests must present.
    public var adminToken: String
    /// API key → operator id.
    public var operatorKeys: OperatorKeyStore
    /// Path of the append-only journal file.
    public var journalPath: String
    /// Events held for the pipeline before commands are refused with 503.
    public var eventOutboxCapacity: Int
    /// Most orders one `POST /orders/batch` may carry.
    public var maxBatchOrders: Int
    /// Default of ``maxBatchOrders``.
    public static let defaultMaxBatchOrders = 100
    /// Where execution reports go; `nil` disables them.
    public var reports: ReportSettings?

    /// Where execution reports are sent and how they are retried.
    public struct ReportSettings: Sendable {
        /// Base URL of streaming (`http://streaming:8000`), without the path.
        public var ingestURL: String
        /// Bearer token presented to streaming.
        public var serviceToken: String
        /// Room the reports are relayed to.
        public var roomId: String
        /// Reports kept while streaming is slow or absent.
        public var outboxCapacity: Int
        /// First retry delay; doubles up to ``maximumBackoff``.
        public var initialBackoff: Duration
        /// Longest delay between retries.
        public var maximumBackoff: Duration

        /// Settings for the report sender.
        public init(ingestURL: String, serviceToken: String, roomId: String = "public-room", outboxCapacity: Int = 10_000,
                    initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(5)) {
            self.ingestURL = ingestURL
            self.serviceToken = serviceToken
            self.roomId = roomId
            self.outboxCapacity = outboxCapacity
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    /// A configuration from explicit values (tests, benchmarks).
    public init(http: HTTPServerSettings, adminToken: String, operatorKeys: OperatorKeyStore, journalPath: String,
                eventOutboxCapacity: Int = 100_000, maxBatchOrders: Int = OrderRouterConfiguration.defaultMaxBatchOrders,
                reports: ReportSettings? = nil) {
        self.http = http
        self.adminToken = adminToken
        self.operatorKeys = operatorKeys
        self.journalPath = journalPath
        self.eventOutboxCapacity = eventOutboxCapacity
        self.maxBatchOrders = maxBatchOrders
        self.reports = reports
    }

    /// Reads the keys listed on the type; throws ``ConfigurationError`` naming the variable.
    public init(environment: EnvironmentReader) throws {
        let http = try HTTPServerSettings(environment: environment, defaultPort: Self.defaultPort)
        let adminToken = try environment.requiredSecret("ORDER_ROUTER_ADMIN_TOKEN")
        let keys: OperatorKeyStore
        do {
            keys = try OperatorKeyStore.load(environment: environment.values)
        } catch {
            throw ConfigurationError.invalid("OPERATOR_KEYS_FILE/OPERATOR_API_KEYS", error.description)
        }
        var reports: ReportSettings?
        if let url = environment.string("STREAMING_INGEST_URL") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigurationError.invalid("STREAMING_INGEST_URL", "expected an http:// or https:// URL, got '\(url)'")
            }
            reports = ReportSettings(
                ingestURL: url.hasSuffix("/") ? String(url.dropLast()) : url,
                serviceToken: try environment.requiredSecret("STREAMING_SERVICE_TOKEN"),
                roomId: environment.string("STREAMING_ROOM_ID", default: "public-room"),
                outboxCapacity: try environment.int("ORDER_ROUTER_REPORT_OUTBOX_CAPACITY", default: 10_000, range: 1...10_000_000)
            )
        }
        self.init(
            http: http,
            adminToken: adminToken,
            operatorKeys: keys,
            journalPath: environment.string("ORDER_ROUTER_JOURNAL_PATH", default: "./data/order-router.journal"),
            eventOutboxCapacity: try environment.int("ORDER_ROUTER_EVENT_OUTBOX_CAPACITY", default: 100_000, range: 1...100_000_000),
            maxBatchOrders: try environment.int("ORDER_ROUTER_MAX_BATCH_ORDERS", default: Self.defaultMaxBatchOrders, range: 1...10_000),
            reports: reports
        )
    }
}
