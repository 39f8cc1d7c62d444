import CoreMetrics
import Logging
import NIOCore
import SetupDetection
import WebSocketCore

/// The one place detection runs: an actor around the single-threaded ``InPlayMonitor``.
///
/// Every bar, whatever its source, goes through ``ingest(_:source:)``. When watchlists change,
/// each one's `watchlist.update` is encoded once, fanned out to every WebSocket through the
/// hub (topic ``topic``), kept as the snapshot for new connections, and offered to the
/// pipeline relay and the streaming outbox, neither of which can make detection wait.
public actor WatchlistMonitor {
    /// The hub topic every `/inplay/ws` connection is subscribed to (one topic for all
    /// watchlists: the dashboard shows them all).
    public static let topic = "inplay.watchlists"

    private var monitor: InPlayMonitor
    private let hub: TopicHub
    private let relay: PipelineUpdateRelay?
    private let outbox: StreamingOutbox?
    private let metrics: InPlayMetrics
    private let logger: Logger
    /// The last encoded `watchlist.update` of each watchlist, in configuration order.
    private var latest: [ByteBuffer]
    private let indexByID: [String: Int]

    /// The watchlists, in configuration order.
    public nonisolated let watchlists: [Watchlist]
    /// The session names the `session` query parameter accepts.
    public nonisolated let sessionNames: [SessionName]

    /// A monitor publishing to `hub`, and optionally to the pipeline and the streaming service.
    public init(
        monitor: InPlayMonitor, hub: TopicHub, relay: PipelineUpdateRelay?, outbox: StreamingOutbox?,
        metrics: InPlayMetrics, logger: Logger
    ) throws {
        self.monitor = monitor
        self.hub = hub
        self.relay = relay
        self.outbox = outbox
        self.metrics = metrics
        self.logger = logger
        self.watchlists = monitor.book.watchlists
        self.sessionNames = monitor.engine.calendar.sessions.map(\.name)
        var indexByID: [String: Int] = [:]
        for (index, watchlist) in monitor.book.watchlists.enumerated() { indexByID[watchlist.id] = index }
        self.indexByID = indexByID
        self.latest = try monitor.updateMessages(for: monitor.book.watchlists.map(\.id)).map { ByteBuffer(bytes: Array(try $0.jsonData())) }
    }

    /// Runs detection over a batch of already validated bars, in order, then publishes one
    /// `watchlist.update` per changed watchlist (the state after the whole batch).
    public func ingest(_ bars: [Bar], source: BarSource) -> IngestReport {
        let started = ContinuousClock.now
        var report = IngestReport()
        var changed = [Bool](repeating: false, count: watchlists.count)
        for (index, bar) in bars.enumerated() {
            guard monitor.book.isWatched(bar.symbol) else {
                report.ignored += 1
                continue
            }
            do {
                for id in try monitor.process(bar) {
                    if let position = indexByID[id] { changed[position] = true }
                }
                report.accepted += 1
            } catch {
                report.rejected.append(.init(index: index, reason: error.description))
                logger.debug("bar refused", metadata: ["bar.symbol": "\(bar.symbol)", "bar.source": "\(source.rawValue)", "error.message": "\(error)"])
            }
        }
        metrics.barsReceived[source]?.increment(by: Int64(report.accepted))
        if !report.rejected.isEmpty { metrics.barsRejected[source]?.increment(by: Int64(report.rejected.count)) }
        let ids = watchlists.indices.filter { changed[$0] }.map { watchlists[$0].id }
        report.updatedWatchlists = ids
        if !ids.isEmpty { publish(ids) }
        metrics.processing.recordNanoseconds(Int64((ContinuousClock.now - started) / .nanoseconds(1)))
        return report
    }

    /// Subscribes a new connection and queues the snapshot (one `watchlist.update` per
    /// configured watchlist), atomically with respect to publishing: the client never sees an
    /// update older than its snapshot.
    public func attach(_ connection: WebSocketConnection) {
        hub.subscribe(connection, to: Self.topic)
        for message in latest { connection.enqueue(message) }
    }

    /// The payload of a watchlist (every session when `session` is nil), nil for an unknown id.
    public func payload(for id: String, session: SessionName?) -> WatchlistPayload? {
        monitor.book.payload(for: id, session: session)
    }

    /// Counts of the measured outcomes, for diagnostics and tests.
    public func hitRate(symbol: String, strategy: Strategy, session: SessionName) -> HitRate {
        monitor.engine.hitRate(symbol: symbol, strategy: strategy, session: session)
    }

    private func publish(_ ids: [String]) {
        for message in monitor.updateMessages(for: ids) {
            let bytes: [UInt8]
            do {
                bytes = Array(try message.jsonData())
            } catch {
                logger.error("cannot encode watchlist.update", metadata: ["watchlist.id": "\(message.payload.id)", "error.message": "\(error)"])
                continue
            }
            let buffer = ByteBuffer(bytes: bytes)
            if let index = indexByID[message.payload.id] { latest[index] = buffer }
            hub.publish(buffer, to: Self.topic)
            metrics.updatesPublished.increment()
            relay?.offer(watchlistID: message.payload.id, message: bytes)
            outbox?.offer(watchlistID: message.payload.id, message: bytes)
        }
    }
}
