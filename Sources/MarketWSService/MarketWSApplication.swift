import Foundation
import HTTPCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import MarketFeed
import NIOCore
import NIOWebSocket
import Pipeline
import ServiceLifecycle
import WebSocketCore

/// Builds market-ws: `/ws` (the seed's WebSocket API plus sequences, snapshots, resume and
/// heartbeats), the webhook REST, `GET /events`, and the observability routes.
public enum MarketWSApplication {
    /// What ``build(configuration:pipeline:logger:webhookTransport:)`` returns.
    public struct Built: Sendable {
        /// The HTTP/WebSocket application; its own services (the feed consumer, the webhook
        /// workers) run inside it, before the server.
        public var application: Application<RouterResponder<WebSocketServiceContext>>
        /// The WebSocket fan-out: run it AFTER the application so it closes sockets with 1001
        /// on shutdown.
        public var hub: TopicHub
        /// The node's view of the `market` stream (tests and the benchmark read it).
        public var feed: MarketFeedHub
        /// Webhook registrations.
        public var webhooks: WebhookRegistry
        /// Webhook delivery (nil when disabled on this node).
        public var dispatcher: WebhookDispatcher?
    }

    /// Wires everything over `pipeline` (built by the caller from ``MarketWSConfiguration/pipeline``,
    /// a memory pipeline in tests). `webhookTransport` defaults to an HTTP client.
    public static func build(
        configuration: MarketWSConfiguration,
        pipeline: any EventPipeline,
        logger: Logger,
        webhookTransport: (any WebhookTransport)? = nil
    ) throws -> Built {
        let metrics = MarketWSMetrics()
        let hub = TopicHub(endpoint: "market-ws", settings: configuration.webSocket)
        let registry = try WebhookRegistry(fileURL: configuration.dataDirectory?.appendingPathComponent("webhooks.json"))
        var dispatcher: WebhookDispatcher?
        if configuration.webhooksEnabled {
            dispatcher = WebhookDispatcher(
                transport: webhookTransport ?? HTTPWebhookTransport(),
                policy: configuration.webhookPolicy,
                logger: logger,
                onRecord: { metrics.webhookAttempt(outcome: $0.outcome.rawValue) }
            )
            for endpoint in registry.all { dispatcher?.add(endpoint) }
        }
        let feed = MarketFeedHub(
            hub: hub,
            pipeline: pipeline,
            configuredMarkets: configuration.markets,
            resumeBufferCapacity: configuration.resumeBufferCapacity,
            webhooks: dispatcher,
            metrics: metrics,
            logger: logger
        )
        let authenticator = OperatorAuthenticator(keys: configuration.operatorKeys)

        let router = Router(context: WebSocketServiceContext.self)
        StandardMiddleware.install(
            on: router,
            service: "market-ws",
            settings: configuration.http,
            checks: [
                ReadinessCheck(name: "pipeline") { await pipeline.isReady() },
                ReadinessCheck(name: "feed") { feed.isCaughtUp },
            ]
        )
        addWebSocketRoute(to: router, feed: feed, authenticator: authenticator)
        WebhookRoutes(
            registry: registry,
            dispatcher: dispatcher,
            authenticator: authenticator,
            maxPerOperator: configuration.maxWebhooksPerOperator,
            maxBodyBytes: configuration.http.maxBodyBytes
        ).add(to: router)
        EventReplayRoutes(pipeline: pipeline, authenticator: authenticator, maxLimit: configuration.replayMaxLimit, metrics: metrics)
            .add(to: router)

        var services: [any Service] = [MarketFeedConsumer(feed: feed, heartbeatInterval: configuration.heartbeatInterval, logger: logger)]
        if let dispatcher { services.append(WebhookService(dispatcher: dispatcher)) }
        let application = Application(
            router: router,
            server: WebSocketServer.builder(router: router, settings: configuration.webSocket),
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "market-ws"),
            services: services,
            logger: logger
        )
        return Built(application: application, hub: hub, feed: feed, webhooks: registry, dispatcher: dispatcher)
    }

    /// `/ws`: authenticate (header or query), answer AUTHENTICATED, then serve messages.
    /// A failed authentication is accepted and closed with 4001, as the seed says.
    static func addWebSocketRoute(to router: Router<WebSocketServiceContext>, feed: MarketFeedHub, authenticator: OperatorAuthenticator) {
        let hub = feed.hub
        router.ws("/ws", shouldUpgrade: { _, _ in
            guard hub.hasCapacity else {
                throw APIError.unavailable("too many connections", code: "too_many_connections")
            }
            return .upgrade([:])
        }) { inbound, outbound, context in
            guard let operatorId = authenticator.webSocketOperator(context.request) else {
                context.logger.info("websocket authentication failed")
                try await outbound.close(CloseCode.unauthorized, reason: "authentication failed")
                return
            }
            let clientId = "ws-" + UUID().uuidString.lowercased()
            guard let connection = hub.open(attributes: ["operatorId": operatorId, "clientId": clientId]) else {
                try await outbound.close(.unexpectedServerError, reason: "too many connections")
                return
            }
            var logger = context.logger
            logger[metadataKey: "ws.client.id"] = "\(clientId)"
            logger[metadataKey: "operator.id"] = "\(operatorId)"
            let fromSequence = context.request.uri.queryParameters.get("fromSeq").flatMap { UInt64($0) }
            let session = ClientSession(connection: connection, operatorId: operatorId, feed: feed, queryFromSequence: fromSequence, logger: logger)
            connection.enqueue(ByteBuffer(bytes: FeedMessage.authenticated(clientId: clientId, operatorId: operatorId)))
            try await hub.serve(connection, inbound: inbound, outbound: outbound, channel: context.requestContext.channel, logger: logger) { message in
                try await session.handle(message)
            }
        }
    }
}
