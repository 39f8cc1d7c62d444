import Foundation
import HTTPCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Pipeline
import ServiceLifecycle
import SetupDetection
import WebSocketCore

/// The `inplay` service assembled: the HTTP/WebSocket application and the parts tests and the
/// executable need to reach.
///
/// Run order (what `main.swift` passes to `ServiceRunner.run`): the pipeline's shutdown
/// first, then ``application`` (which runs the bar feed, the pipeline relay and the streaming
/// outbox inside its own group), then ``hub`` (so sockets close with 1001 before the server
/// stops).
public struct InPlayApplication: Sendable {
    /// The HTTP server with its background workers.
    public let application: Application<RouterResponder<WebSocketServiceContext>>
    /// The WebSocket fan-out of `/inplay/ws`.
    public let hub: TopicHub
    /// Where detection runs.
    public let monitor: WatchlistMonitor
    /// The pipeline bar reader.
    public let barFeed: PipelineBarFeed
    /// The forward to `streaming`, when configured.
    public let outbox: StreamingOutbox?
    /// What the CSV replay did, when `INPLAY_CSV_REPLAY` was set.
    public let replayReport: IngestReport?

    /// Builds the service: replays `INPLAY_CSV_REPLAY` (if set) before returning, so the first
    /// snapshot already holds its setups.
    /// - Parameters:
    ///   - configuration: the configuration read from the environment.
    ///   - pipeline: the pipeline adapter (the caller owns its shutdown).
    ///   - logger: the service's root logger.
    ///   - now: the clock used for the `updated_at` of watchlists without setups yet.
    ///   - onServerRunning: called with the listening channel (tools read the bound port).
    public static func build(
        configuration: InPlayConfiguration,
        pipeline: any EventPipeline,
        logger: Logger,
        now: UTCTime = UTCTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) async throws -> InPlayApplication {
        let metrics = InPlayMetrics()
        let hub = TopicHub(endpoint: "/inplay/ws", settings: configuration.webSocket)
        let relay = PipelineUpdateRelay(pipeline: pipeline, metrics: metrics, logger: logger)
        let outbox = configuration.streaming.map { StreamingOutbox(configuration: $0, metrics: metrics, logger: logger) }
        let monitor = try WatchlistMonitor(
            monitor: InPlayMonitor(watchlists: configuration.watchlists, maximumSetupsPerSymbol: configuration.maximumSetupsPerSymbol, startedAt: now),
            hub: hub, relay: relay, outbox: outbox, metrics: metrics, logger: logger
        )
        var replayReport: IngestReport?
        if let path = configuration.csvReplayPath {
            let bars: [Bar]
            do {
                bars = try BarCSVLoader.load(path: path, barDurationSeconds: configuration.csvBarSeconds)
            } catch {
                throw ConfigurationError.invalid("INPLAY_CSV_REPLAY", error.description)
            }
            let report = await monitor.ingest(bars, source: .csv)
            logger.info("CSV replay done", metadata: [
                "replay.path": "\(path)", "replay.accepted": "\(report.accepted)",
                "replay.ignored": "\(report.ignored)", "replay.rejected": "\(report.rejected.count)",
            ])
            replayReport = report
        }
        let barFeed = PipelineBarFeed(pipeline: pipeline, filter: configuration.barSubjects, monitor: monitor, metrics: metrics, logger: logger)

        let router = Router(context: WebSocketServiceContext.self)
        StandardMiddleware.install(
            on: router, service: "inplay", settings: configuration.http,
            checks: [ReadinessCheck(name: "pipeline") { await pipeline.isReady() }]
        )
        InPlayRoutes.add(
            to: router, monitor: monitor, hub: hub, serviceToken: configuration.serviceToken,
            maxBodyBytes: configuration.http.maxBodyBytes
        )
        var workers: [any Service] = [relay, barFeed]
        if let outbox { workers.append(outbox) }
        let application = Application(
            router: router,
            server: WebSocketServer.builder(router: router, settings: configuration.webSocket),
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "inplay"),
            services: workers,
            onServerRunning: onServerRunning,
            logger: logger
        )
        return InPlayApplication(
            application: application, hub: hub, monitor: monitor, barFeed: barFeed, outbox: outbox, replayReport: replayReport
        )
    }
}
