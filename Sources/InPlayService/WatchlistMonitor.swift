import CoreMetrics
import Foundation
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
    /// Each symbol's encoded `{"symbol":...,"setups":[...]}` entry, until its setups change:
    /// an update re-encodes only the symbol whose bar changed it, not the whole watchlist.
    private var symbolEntries: [String: [UInt8]]
    private let encoder = JSONEncoder()

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
        var entries: [String: [UInt8]] = [:]
        var latest: [ByteBuffer] = []
        for watchlist in monitor.book.watchlists {
            guard let payload = monitor.book.payload(for: watchlist.id) else { continue }
            latest.append(ByteBuffer(bytes: try Self.encodeUpdate(payload, entries: &entries, encoder: encoder)))
        }
        self.latest = latest
        self.symbolEntries = entries
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
                let ids = try monitor.process(bar)
                // Setups from a bar are always of the bar's symbol.
                if !ids.isEmpty { symbolEntries[bar.symbol] = nil }
                for id in ids {
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
        for id in ids {
            let bytes: [UInt8]
            do {
                bytes = try encodeUpdate(id)
            } catch {
                logger.error("cannot encode watchlist.update", metadata: ["watchlist.id": "\(id)", "error.message": "\(error)"])
                continue
            }
            let buffer = ByteBuffer(bytes: bytes)
            if let index = indexByID[id] { latest[index] = buffer }
            hub.publish(buffer, to: Self.topic)
            metrics.updatesPublished.increment()
            relay?.offer(watchlistID: id, message: bytes)
            outbox?.offer(watchlistID: id, message: bytes)
        }
    }

    /// The `watchlist.update` of a watchlist as `WatchlistUpdateMessage.jsonData()` writes it,
    /// assembled from the cached entries of its symbols.
    func encodeUpdate(_ id: String) throws -> [UInt8] {
        guard let payload = monitor.book.payload(for: id) else { return [] }
        return try Self.encodeUpdate(payload, entries: &symbolEntries, encoder: encoder)
    }

    private static func encodeUpdate(_ payload: WatchlistPayload, entries symbolEntries: inout [String: [UInt8]], encoder: JSONEncoder) throws -> [UInt8] {
        var out: [UInt8] = Array(#"{"type":"#.utf8)
        out.append(contentsOf: try encoder.encode(WatchlistUpdateMessage.messageType))
        out.append(contentsOf: Array(#","payload":{"id":"#.utf8))
        out.append(contentsOf: try encoder.encode(payload.id))
        out.append(contentsOf: Array(#","symbols":["#.utf8))
        for (index, entry) in payload.symbols.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            if let cached = symbolEntries[entry.symbol] {
                out.append(contentsOf: cached)
            } else {
                let encoded = Array(try encoder.encode(entry))
                symbolEntries[entry.symbol] = encoded
                out.append(contentsOf: encoded)
            }
        }
        out.append(contentsOf: Array(#"],"updated_at":"#.utf8))
        out.append(contentsOf: try encoder.encode(payload.updatedAt))
        out.append(contentsOf: Array("}}".utf8))
        return out
    }

    /// The update as the detection library encodes it in one piece (tests compare the two).
    func referenceUpdate(_ id: String) throws -> [UInt8] {
        guard let payload = monitor.book.payload(for: id) else { return [] }
        return Array(try WatchlistUpdateMessage(payload: payload).jsonData())
    }
}
