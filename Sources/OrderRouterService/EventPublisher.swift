import Logging
import MarketEngine
import Metrics
import Pipeline
import ServiceLifecycle
import Synchronization

/// Publishes durable commands' events on `market.{marketId}`, strictly in order, from the
/// event ``Outbox``, up to 256 at a time in one batch. When the pipeline refuses, the same
/// batch is retried with backoff (the outbox keeps growing; past its capacity new commands get
/// 503) and ``isHealthy`` turns false, which fails `/readyz`. After each batch the pipeline
/// took, the ``PublishedWatermark`` moves to the last journal entry whose events are all out.
public final class EventPublisher: Service, Sendable {
    private let pipeline: any EventPipeline
    private let outbox: Outbox<PendingEvent>
    private let logger: Logger
    private let watermark: PublishedWatermark?
    private let healthy = Atomic<Bool>(true)

    private static let published = Counter(label: "order_router_events_published_total")
    private static let failures = Counter(label: "order_router_event_publish_failures_total")
    private static let depth = Gauge(label: "order_router_event_outbox_depth")

    /// A publisher draining `outbox` into `pipeline`, recording its progress in `watermark`.
    public init(pipeline: any EventPipeline, outbox: Outbox<PendingEvent>, watermark: PublishedWatermark? = nil, logger: Logger) {
        self.pipeline = pipeline
        self.outbox = outbox
        self.watermark = watermark
        self.logger = logger
    }

    /// False while the last publish attempt failed.
    public var isHealthy: Bool { healthy.load(ordering: .relaxed) }

    public func run() async throws {
        let encoder = EventJSONEncoder()
        var buffer: [UInt8] = []
        var marked = watermark?.read() ?? 0
        var markFailureLogged = false
        while true {
            let items = await outbox.peek(limit: 256)
            if items.isEmpty { return }
            // One batch per round: the adapters store it in order with one round trip, and every
            // event carries its idempotency key, so a retry after a failure stores nothing twice.
            let batch = items.map { item in
                buffer.removeAll(keepingCapacity: true)
                encoder.encode(item.event, into: &buffer)
                return OutgoingEvent(subject: "market.\(item.event.marketId)", payload: buffer, idempotencyKey: item.idempotencyKey)
            }
            var delay = Duration.milliseconds(50)
            while true {
                do {
                    _ = try await pipeline.publish(batch)
                    if !healthy.load(ordering: .relaxed) {
                        healthy.store(true, ordering: .relaxed)
                        logger.notice("pipeline publishing again", metadata: ["outbox.depth": "\(outbox.depth)"])
                    }
                    break
                } catch {
                    Self.failures.increment()
                    if healthy.exchange(false, ordering: .relaxed) {
                        logger.error("pipeline publish failed; events wait in the outbox", metadata: [
                            "pipeline.subject": "\(batch[0].subject)", "error.message": "\(error)", "outbox.depth": "\(outbox.depth)",
                        ])
                    }
                    if Task.isCancelled || Task.isShuttingDownGracefully {
                        logger.error("shutting down with unpublished events (they are in the journal)", metadata: ["outbox.depth": "\(outbox.depth)"])
                        return
                    }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(2))
                }
            }
            outbox.removeFirst(items.count)
            Self.published.increment(by: items.count)
            Self.depth.record(outbox.depth)
            let last = items[items.count - 1]
            let complete = last.endsEntry ? last.sequence : last.sequence - 1
            if let watermark, complete > marked {
                do {
                    try watermark.record(complete)
                    marked = complete
                } catch {
                    // Only a re-send after a crash depends on it: keep publishing, and try again
                    // after the next batch.
                    if !markFailureLogged {
                        markFailureLogged = true
                        logger.error("cannot record the published-events mark (retried after every batch); a restart would re-send every event since the last one recorded", metadata: ["error.message": "\(error)"])
                    }
                }
            }
        }
    }
}
