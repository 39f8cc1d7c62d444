import Entitlements
import HTTPCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Pipeline
import ServiceLifecycle
import WebSocketCore

/// Builds the streaming service: one router serving REST and `/ws/rooms/{roomId}`, the room
/// fan-out reading the pipeline, and the hub of viewer sockets.
public enum StreamingApplication {
    /// What ``build(configuration:pipeline:entitlements:logger:onServerRunning:)`` returns.
    public struct Runtime: Sendable {
        /// Run these in one `ServiceGroup`, in this order: pipeline lifecycle, fan-out,
        /// application, hub (the hub closes sockets with 1001 before the server stops; the
        /// pipeline stops last).
        public let services: [any Service]
        /// The viewers' hub (connection counts in tests and metrics).
        public let hub: TopicHub
        /// Sessions and moderation.
        public let state: RoomState
    }

    /// Builds the service and its dependencies from the environment: the pipeline adapter
    /// (`STREAMING_PIPELINE_BACKEND`...) and the entitlements provider (`ENTITLEMENTS_*`).
    public static func build(configuration: StreamingConfiguration, environment: EnvironmentReader, logger: Logger) throws -> Runtime {
        let pipeline = try PipelineFactory.make(environment: environment.values, logger: logger)
        let entitlements = try EntitlementsConfiguration.makeProvider(environment: environment.values, logger: logger)
        return try build(configuration: configuration, pipeline: pipeline, entitlements: entitlements, logger: logger)
    }

    /// Builds the service. `onServerRunning` gets the bound port (useful with port 0).
    public static func build(
        configuration: StreamingConfiguration,
        pipeline: any EventPipeline,
        entitlements: any EntitlementsProvider,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> Runtime {
        let state = try RoomState(directory: configuration.dataDirectory, logger: logger)
        let hub = TopicHub(endpoint: "/ws/rooms", settings: configuration.webSocket)
        let metrics = StreamingMetrics()
        let fanout = RoomFanout(hub: hub, pipeline: pipeline, state: state, metrics: metrics, logger: logger)
        let router = Router(context: WebSocketServiceContext.self)
        StandardMiddleware.install(
            on: router,
            service: "streaming",
            settings: configuration.http,
            checks: [
                ReadinessCheck(name: "pipeline") { await pipeline.isReady() },
                ReadinessCheck(name: "room_subscription") { fanout.isSubscribed },
            ]
        )
        StreamingRoutes(
            configuration: configuration,
            pipeline: pipeline,
            entitlements: entitlements,
            state: state,
            hub: hub,
            fanout: fanout,
            metrics: metrics
        ).register(on: router)
        let application = Application(
            router: router,
            server: WebSocketServer.builder(router: router, settings: configuration.webSocket),
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "streaming"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        return Runtime(services: [PipelineLifecycle(pipeline: pipeline), fanout, application, hub], hub: hub, state: state)
    }
}
