import Foundation
import HTTPCore
import MarketEngine
import MarketFeed
import Pipeline
import WebSocketCore

/// Everything market-ws reads from its environment, in one place.
///
/// Keys (besides `HOST`, `PORT` (default 8084), `LOG_LEVEL`, `LOG_FORMAT`,
/// `HTTP_MAX_BODY_BYTES` of ``HTTPServerSettings``, the `WS_*` keys of ``WebSocketSettings``
/// and the `STREAMING_*` keys of ``PipelineConfiguration``):
/// - `OPERATOR_KEYS_FILE` / `OPERATOR_API_KEYS`: the operator key store shared with
///   order-router (one of them is required).
/// - `MARKET_WS_MARKETS`: comma-separated market ids known before any of their events is seen.
/// - `MARKET_WS_HEARTBEAT_SECONDS`: seconds between `HEARTBEAT` messages (default 5, 0 turns
///   them off).
/// - `MARKET_WS_RESUME_BUFFER`: recent events held in memory for resumes (default 100000).
/// - `MARKET_WS_DATA_DIR`: folder of `webhooks.json` (default `./data/market-ws`).
/// - `MARKET_WS_WEBHOOKS_ENABLED`: `1` (default) delivers webhooks from this node, `0` does
///   not (run delivery on one node of a cluster).
/// - `MARKET_WS_WEBHOOK_MAX_ATTEMPTS` (default 8), `MARKET_WS_WEBHOOK_BACKOFF_INITIAL_MS`
///   (default 5000), `MARKET_WS_WEBHOOK_BACKOFF_MAX_MS` (default 300000),
///   `MARKET_WS_WEBHOOK_TIMEOUT_MS` (default 10000), `MARKET_WS_WEBHOOK_QUEUE_LIMIT`
///   (default 10000), `MARKET_WS_MAX_WEBHOOKS_PER_OPERATOR` (default 10).
/// - `MARKET_WS_REPLAY_MAX_LIMIT`: largest `limit` of `GET /events` (default 1000).
public struct MarketWSConfiguration: Sendable {
    /// Listening address, logs, body limit.
    public var http: HTTPServerSettings
    /// WebSocket limits (queue bound: slow consumers close with 4008).
    public var webSocket: WebSocketSettings
    /// Which pipeline adapter carries the `market` stream.
    public var pipeline: PipelineConfiguration
    /// API key → operator.
    public var operatorKeys: OperatorKeyStore
    /// Markets known before their first event.
    public var markets: [String]
    /// Interval of `HEARTBEAT` messages; `nil` sends none.
    public var heartbeatInterval: Duration?
    /// Recent events held for resumes.
    public var resumeBufferCapacity: Int
    /// Folder of `webhooks.json`; `nil` keeps registrations in memory (tests).
    public var dataDirectory: URL?
    /// Whether this node delivers webhooks.
    public var webhooksEnabled: Bool
    /// Retries, timeouts and queue bound of webhook deliveries.
    public var webhookPolicy: WebhookRetryPolicy
    /// Most endpoints per operator.
    public var maxWebhooksPerOperator: Int
    /// Largest `limit` of `GET /events`.
    public var replayMaxLimit: Int

    /// A configuration from values (tests, the benchmark).
    public init(
        http: HTTPServerSettings = HTTPServerSettings(port: 8084),
        webSocket: WebSocketSettings = WebSocketSettings(),
        pipeline: PipelineConfiguration = PipelineConfiguration(),
        operatorKeys: OperatorKeyStore,
        markets: [String] = [],
        heartbeatInterval: Duration? = .seconds(5),
        resumeBufferCapacity: Int = 100_000,
        dataDirectory: URL? = nil,
        webhooksEnabled: Bool = true,
        webhookPolicy: WebhookRetryPolicy = WebhookRetryPolicy(),
        maxWebhooksPerOperator: Int = 10,
        replayMaxLimit: Int = 1000
    ) {
        self.http = http
        self.webSocket = webSocket
        self.pipeline = pipeline
        self.operatorKeys = operatorKeys
        self.markets = markets
        self.heartbeatInterval = heartbeatInterval
        self.resumeBufferCapacity = resumeBufferCapacity
        self.dataDirectory = dataDirectory
        self.webhooksEnabled = webhooksEnabled
        self.webhookPolicy = webhookPolicy
        self.maxWebhooksPerOperator = maxWebhooksPerOperator
        self.replayMaxLimit = replayMaxLimit
    }

    /// Reads the keys listed on the type; throws naming the variable at fault.
    public init(environment: EnvironmentReader) throws {
        let heartbeat = try environment.int("MARKET_WS_HEARTBEAT_SECONDS", default: 5, range: 0...3600)
        let operatorKeys: OperatorKeyStore
        do {
            operatorKeys = try OperatorKeyStore.load(environment: environment.values)
        } catch where error == .missingConfiguration {
            throw ConfigurationError.missing("\(OperatorKeyStore.fileVariable) or \(OperatorKeyStore.developmentVariable)")
        } catch {
            let variable = environment.string(OperatorKeyStore.fileVariable) == nil ? OperatorKeyStore.developmentVariable : OperatorKeyStore.fileVariable
            throw ConfigurationError.invalid(variable, error.description)
        }
        self.init(
            http: try HTTPServerSettings(environment: environment, defaultPort: 8084),
            webSocket: try WebSocketSettings(environment: environment),
            pipeline: try PipelineConfiguration(environment: environment.values),
            operatorKeys: operatorKeys,
            markets: environment.list("MARKET_WS_MARKETS"),
            heartbeatInterval: heartbeat == 0 ? nil : .seconds(heartbeat),
            resumeBufferCapacity: try environment.int("MARKET_WS_RESUME_BUFFER", default: 100_000, range: 1...10_000_000),
            dataDirectory: URL(fileURLWithPath: environment.string("MARKET_WS_DATA_DIR", default: "./data/market-ws")),
            webhooksEnabled: try environment.bool("MARKET_WS_WEBHOOKS_ENABLED", default: true),
            webhookPolicy: WebhookRetryPolicy(
                maxAttempts: try environment.int("MARKET_WS_WEBHOOK_MAX_ATTEMPTS", default: 8, range: 1...100),
                initialDelay: .milliseconds(try environment.int("MARKET_WS_WEBHOOK_BACKOFF_INITIAL_MS", default: 5000, range: 1...3_600_000)),
                maxDelay: .milliseconds(try environment.int("MARKET_WS_WEBHOOK_BACKOFF_MAX_MS", default: 300_000, range: 1...86_400_000)),
                requestTimeout: .milliseconds(try environment.int("MARKET_WS_WEBHOOK_TIMEOUT_MS", default: 10_000, range: 1...600_000)),
                queueLimit: try environment.int("MARKET_WS_WEBHOOK_QUEUE_LIMIT", default: 10_000, range: 1...10_000_000)
            ),
            maxWebhooksPerOperator: try environment.int("MARKET_WS_MAX_WEBHOOKS_PER_OPERATOR", default: 10, range: 1...1000),
            replayMaxLimit: try environment.int("MARKET_WS_REPLAY_MAX_LIMIT", default: 1000, range: 1...10_000)
        )
    }
}
