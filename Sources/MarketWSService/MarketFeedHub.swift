import CoreMetrics
import Foundation
import Logging
import MarketEngine
import MarketFeed
import NIOCore
import Pipeline
import Synchronization
import WebSocketCore

/// The node's view of the `market` stream and its fan-out: applies pipeline events to the
/// ``MarketFeedState`` and queues them on the sockets that may see them, under one lock, so a
/// subscription (snapshot or resume, then live) never misses nor repeats an event.
///
/// One hub topic per market; a public event is encoded once and queued on every subscriber;
/// a private one only on the connections whose `operatorId` attribute is its owner.
public final class MarketFeedHub: Sendable {
    /// The WebSocket fan-out.
    public let hub: TopicHub
    /// The pipeline carrying the `market` stream.
    public let pipeline: any EventPipeline
    private let state: Mutex<MarketFeedState>
    private let webhooks: WebhookDispatcher?
    private let metrics: MarketWSMetrics
    private let logger: Logger
    /// Events with a sequence at or below this were published before the node started:
    /// they rebuild state but do not trigger webhooks.
    private let liveAfter = Atomic<UInt64>(UInt64.max)
    private let caughtUp = Atomic<Bool>(false)

    /// A feed over `pipeline` fanning out through `hub`.
    public init(hub: TopicHub, pipeline: any EventPipeline, configuredMarkets: [String], resumeBufferCapacity: Int,
                webhooks: WebhookDispatcher?, metrics: MarketWSMetrics, logger: Logger) {
        self.hub = hub
        self.pipeline = pipeline
        self.state = Mutex(MarketFeedState(configuredMarkets: configuredMarkets, recentCapacity: resumeBufferCapacity))
        self.webhooks = webhooks
        self.metrics = metrics
        self.logger = logger
    }

    // MARK: Ingest

    /// The last sequence applied.
    public var lastSequence: UInt64 { state.withLock { $0.lastSequence } }

    /// Whether the node has applied everything the stream held when it started (readiness).
    public var isCaughtUp: Bool { caughtUp.load(ordering: .acquiring) }

    /// Marks where the stream stood at start-up: events up to `sequence` rebuild state only.
    func startLive(after sequence: UInt64) {
        liveAfter.store(sequence, ordering: .releasing)
        if lastSequence >= sequence { caughtUp.store(true, ordering: .releasing) }
    }

    /// Applies one pipeline event and fans it out; returns false for duplicates and
    /// payloads that are not market events.
    @discardableResult
    public func ingest(_ pipelineEvent: PipelineEvent) -> Bool {
        let event: FeedEvent
        do {
            event = try FeedEvent(sequence: pipelineEvent.sequence, payload: pipelineEvent.payload)
        } catch {
            metrics.undecodable.increment()
            logger.warning("skipping a pipeline event that is not a market event", metadata: [
                "pipeline.subject": "\(pipelineEvent.subject)", "event.seq": "\(pipelineEvent.sequence)",
            ])
            return false
        }
        return ingest(event)
    }

    /// Applies one decoded event and fans it out.
    @discardableResult
    public func ingest(_ event: FeedEvent) -> Bool {
        let hub = self.hub
        let delivered: Int? = state.withLock { state in
            guard state.apply(event) else { return nil }
            let buffer = ByteBuffer(bytes: event.message)
            switch event.visibility {
            case .everyone:
                return hub.publish(buffer, to: event.marketId)
            case .owner(let owner):
                return hub.publish(buffer, to: event.marketId, where: { $0.attributes["operatorId"] == owner })
            }
        }
        guard let delivered else { return false }
        metrics.events.increment()
        metrics.queued.increment(by: delivered)
        metrics.lastSequence.record(Double(event.sequence))
        let live = liveAfter.load(ordering: .acquiring)
        if event.sequence > live {
            webhooks?.offer(event)
        }
        if !caughtUp.load(ordering: .relaxed), event.sequence >= live {
            caughtUp.store(true, ordering: .releasing)
        }
        return true
    }

    // MARK: Queries

    /// Whether a market exists for this node (seen or configured).
    public func isKnown(_ marketId: String) -> Bool {
        state.withLock { $0.isKnown(marketId) }
    }

    /// The snapshot of a market and the sequence it is consistent with.
    public func snapshot(of marketId: String) -> (MarketSnapshot, UInt64)? {
        state.withLock { state in state.snapshot(of: marketId).map { ($0, state.lastSequence) } }
    }

    // MARK: Subscriptions

    /// Subscribes a connection to markets, starting each with a SNAPSHOT consistent with the
    /// feed sequence: the snapshot is queued and the subscription made under the ingest lock,
    /// so the first live event queued after it has a greater sequence.
    func subscribeWithSnapshots(_ connection: WebSocketConnection, to marketIds: [String]) {
        let hub = self.hub
        state.withLock { state in
            let sequence = state.lastSequence
            for marketId in marketIds where !connection.topics.contains(marketId) {
                let snapshot = state.snapshot(of: marketId) ?? MarketSnapshot(marketId: marketId)
                connection.enqueue(ByteBuffer(bytes: snapshot.message(sequence: sequence)))
                hub.subscribe(connection, to: marketId)
            }
        }
    }

    /// What a resume did.
    enum ResumeResult: Equatable {
        /// Every event after `fromSeq` was queued, then the subscription went live.
        case resumed(replayed: Int)
        /// The pipeline no longer holds events right after `fromSeq` (retention): nothing was
        /// subscribed, the caller falls back to snapshots.
        case tooOld(firstAvailable: UInt64)
    }

    /// Queues every event after `fromSeq` of `marketIds` that the connection's operator may
    /// see, then subscribes it to live events, with no gap and no duplicate: older events come
    /// from the pipeline's replay, the last ones from the in-memory window under the ingest
    /// lock, in the same critical section as the subscription.
    func resume(_ connection: WebSocketConnection, operatorId: String, marketIds: [String], after fromSeq: UInt64) async throws -> ResumeResult {
        let hub = self.hub
        let wanted = Set(marketIds.filter { !connection.topics.contains($0) })
        guard !wanted.isEmpty else { return .resumed(replayed: 0) }
        metrics.resumes.increment()
        // A client that saw a later sequence on another node: wait (briefly) until this node
        // caught up, so nothing it already has is sent again.
        let deadline = ContinuousClock.now.advanced(by: .seconds(2))
        while lastSequence < fromSeq, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        var cursor = fromSeq
        var replayed = 0
        var firstPage = true
        let filter = wanted.count == 1 ? "market.\(wanted.first!)" : "market.>"
        let halfQueue = max(1, hub.settings.maxQueuedMessages / 2)
        let pageSize = 500
        while true {
            // The hand-over: what is left comes from the in-memory window, queued in the same
            // critical section as the subscription.
            let fromWindow: Int? = state.withLock { state in
                guard let events = state.recentEvents(after: cursor, marketIds: wanted, operatorId: operatorId) else { return nil }
                for event in events {
                    connection.enqueue(ByteBuffer(bytes: event.message))
                }
                for marketId in wanted {
                    hub.subscribe(connection, to: marketId)
                }
                return events.count
            }
            if let fromWindow { return .resumed(replayed: replayed + fromWindow) }
            // The window starts after `cursor`: read the events up to its floor from the pipeline.
            let floor = state.withLock { $0.recent.floor }
            while cursor < floor {
                let page = try await pipeline.replay(filter, after: cursor, limit: pageSize)
                if firstPage, cursor + 1 < page.firstAvailable {
                    return .tooOld(firstAvailable: page.firstAvailable)
                }
                firstPage = false
                var reachedFloor = page.events.count < pageSize
                for pipelineEvent in page.events {
                    guard pipelineEvent.sequence <= floor else {
                        reachedFloor = true
                        break
                    }
                    cursor = pipelineEvent.sequence
                    guard let event = try? FeedEvent(sequence: pipelineEvent.sequence, payload: pipelineEvent.payload),
                          wanted.contains(event.marketId), event.visibility.allows(operatorId) else { continue }
                    connection.enqueue(ByteBuffer(bytes: event.message))
                    replayed += 1
                }
                if reachedFloor { cursor = floor }
                // Let the client drain before the next page instead of overflowing its queue.
                while connection.queuedCount > halfQueue, !connection.isClosing {
                    try await Task.sleep(for: .milliseconds(5))
                }
                if connection.isClosing { return .resumed(replayed: replayed) }
            }
        }
    }

    /// Queues a HEARTBEAT carrying the last sequence on every connection.
    func sendHeartbeat() {
        let sequence = lastSequence
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        hub.broadcast(ByteBuffer(bytes: FeedMessage.heartbeat(sequence: sequence, timestamp: now)))
    }
}
