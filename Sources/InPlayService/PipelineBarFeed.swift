import CoreMetrics
import Logging
import Pipeline
import ServiceLifecycle
import SetupDetection
import Synchronization

/// Reads bars from the pipeline (`marketdata.bars.{symbol}`, a JSON bar or array of bars per event, see
/// ``BarMessage``) and hands each to the ``WatchlistMonitor``.
///
/// Starts at new events; after an error (broker down, slow subscriber) it resubscribes after
/// the last sequence it processed, with backoff, so no stored bar is skipped or seen twice.
/// Bad payloads are logged, counted (`inplay_bars_rejected_total{source="pipeline"}`) and
/// skipped.
public final class PipelineBarFeed: Service, Sendable {
    /// The subject prefix of bars; the rest of the subject is the symbol.
    public static let subjectPrefix = "marketdata.bars."

    private let pipeline: any EventPipeline
    private let filter: String
    private let monitor: WatchlistMonitor
    private let metrics: InPlayMetrics
    private let logger: Logger
    private let subscribed = Atomic<Bool>(false)
    private let processed = Atomic<Int>(0)

    /// A feed reading `filter` (default `marketdata.bars.>`) into `monitor`.
    public init(pipeline: any EventPipeline, filter: String, monitor: WatchlistMonitor, metrics: InPlayMetrics, logger: Logger) {
        self.pipeline = pipeline
        self.filter = filter
        self.monitor = monitor
        self.metrics = metrics
        self.logger = logger
    }

    /// True while a subscription is in place (tests wait for it before publishing).
    public var isSubscribed: Bool { subscribed.load(ordering: .acquiring) }
    /// Events read so far, good or bad.
    public var processedCount: Int { processed.load(ordering: .relaxed) }

    /// Reads until graceful shutdown.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [self] in try await self.readForever() }
        } catch is CancellationError {
            // graceful shutdown
        }
        subscribed.store(false, ordering: .releasing)
    }

    private func readForever() async throws {
        var last: UInt64?
        var delay: Duration = .milliseconds(100)
        while true {
            try Task.checkCancellation()
            do {
                let subscription = try await pipeline.subscribe(filter, from: last.map { SubscriptionStart.after($0) } ?? .new)
                subscribed.store(true, ordering: .releasing)
                logger.info("reading bars from the pipeline", metadata: ["pipeline.filter": "\(filter)"])
                for try await event in subscription {
                    last = event.sequence
                    delay = .milliseconds(100)
                    await handle(event)
                }
                try Task.checkCancellation()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("bar subscription ended; resubscribing", metadata: ["pipeline.filter": "\(filter)", "error.message": "\(error)"])
            }
            subscribed.store(false, ordering: .releasing)
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    private func handle(_ event: PipelineEvent) async {
        processed.add(1, ordering: .relaxed)
        let subjectSymbol = event.subject.hasPrefix(Self.subjectPrefix) ? String(event.subject.dropFirst(Self.subjectPrefix.count)) : nil
        let messages: [BarMessage]
        do {
            messages = try BarMessage.decodeBatch(event.payload)
        } catch {
            metrics.barsRejected[.pipeline]?.increment()
            logger.warning("bad bar on the pipeline; skipped", metadata: ["pipeline.subject": "\(event.subject)", "pipeline.sequence": "\(event.sequence)", "error.message": "\(error)"])
            return
        }
        var bars: [Bar] = []
        for message in messages {
            switch message.bar(defaultSymbol: subjectSymbol) {
            case .success(let bar):
                bars.append(bar)
            case .failure(let error):
                metrics.barsRejected[.pipeline]?.increment()
                logger.warning("bad bar on the pipeline; skipped", metadata: ["pipeline.subject": "\(event.subject)", "pipeline.sequence": "\(event.sequence)", "error.message": "\(error)"])
            }
        }
        guard !bars.isEmpty else { return }
        _ = await monitor.ingest(bars, source: .pipeline)
    }
}
