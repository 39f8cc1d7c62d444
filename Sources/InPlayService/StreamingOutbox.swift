import AsyncHTTPClient
import CoreMetrics
import HTTPCore
import Logging
import NIOCore
import NIOHTTP1
import SecurityPrimitives
import ServiceLifecycle
import Synchronization

/// Forwards `watchlist.update` messages to the `streaming` service
/// (`POST {STREAMING_INGEST_URL}/ingest/inplay`, `Authorization: Bearer
/// STREAMING_SERVICE_TOKEN_INPLAY`, body `{"room": ..., "payload": <the message>}`) from a
/// bounded outbox drained by its own task, so detection never waits for the network.
///
/// Policy: FIFO, one post at a time. A network error, a timeout, 408, 429 or 5xx is retried
/// with exponential backoff (the update stays at the head); another 4xx is logged, counted and
/// dropped (retrying would not help). When the outbox is full the oldest update is dropped
/// and counted. Each update keeps one `X-Idempotency-Key` across its retries.
public final class StreamingOutbox: Service, Sendable {
    /// One update waiting to be posted.
    struct Item: Sendable {
        var key: String
        var body: ByteBuffer
    }

    private struct State {
        var items: [Item] = []
        var head = 0
        var waiter: CheckedContinuation<Void, Never>?
    }

    /// The configuration in force.
    public let configuration: StreamingForwardConfiguration
    private let metrics: InPlayMetrics
    private let logger: Logger
    private let state = Mutex(State())
    private let delivered = Atomic<Int>(0)
    private let dropped = Atomic<Int>(0)
    private let failedAttempts = Atomic<Int>(0)
    private let rejected = Atomic<Int>(0)
    private let roomJSON: [UInt8]

    /// An outbox for `configuration`; run it as a `Service`.
    public init(configuration: StreamingForwardConfiguration, metrics: InPlayMetrics, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        var room: [UInt8] = []
        JSONText.appendString(configuration.room, to: &room)
        self.roomJSON = room
    }

    // MARK: Counters (tests, diagnostics)

    /// Updates the streaming service accepted.
    public var deliveredCount: Int { delivered.load(ordering: .relaxed) }
    /// Updates dropped from a full outbox.
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }
    /// Post attempts that failed and were retried.
    public var failedAttemptCount: Int { failedAttempts.load(ordering: .relaxed) }
    /// Updates refused with a non-retryable 4xx.
    public var rejectedCount: Int { rejected.load(ordering: .relaxed) }
    /// Updates waiting.
    public var depth: Int { state.withLock { $0.items.count - $0.head } }

    // MARK: Producing

    /// Queues an update; never waits. Drops (and counts) the oldest when the outbox is full.
    public func offer(watchlistID: String, message: [UInt8]) {
        var body: [UInt8] = Array(#"{"room":"#.utf8)
        body.append(contentsOf: roomJSON)
        body.append(contentsOf: Array(#","payload":"#.utf8))
        body.append(contentsOf: message)
        body.append(UInt8(ascii: "}"))
        let digest = SHA256.hash(message)
        let item = Item(key: "inplay-\(watchlistID)-\(Hex.encode(digest.prefix(16)))", body: ByteBuffer(bytes: body))
        let capacity = configuration.outboxCapacity
        let (waiter, overflow, depth) = state.withLock { state -> (CheckedContinuation<Void, Never>?, Bool, Int) in
            var overflow = false
            if state.items.count - state.head >= capacity {
                // Drop the oldest update. If it is the one being posted, the post still
                // completes once; the sender then sees it gone and leaves the next in place.
                state.head += 1
                overflow = true
            }
            state.items.append(item)
            if state.head > 64, state.head * 2 > state.items.count {
                state.items.removeFirst(state.head)
                state.head = 0
            }
            let waiter = state.waiter
            state.waiter = nil
            return (waiter, overflow, state.items.count - state.head)
        }
        if overflow {
            dropped.add(1, ordering: .relaxed)
            metrics.streamingDropped.increment()
        }
        metrics.streamingOutboxDepth.record(depth)
        waiter?.resume()
    }

    // MARK: Sending

    /// Posts queued updates until graceful shutdown; what is still queued then is logged and lost.
    public func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await cancelWhenGracefulShutdown { [self] in
                try await self.drainForever(client: client)
            }
        } catch is CancellationError {
            // graceful shutdown
        } catch {
            logger.error("streaming outbox stopped", metadata: ["error.message": "\(error)"])
        }
        try? await client.shutdown()
        let left = depth
        if left > 0 {
            logger.warning("streaming outbox stopped with updates not forwarded", metadata: ["outbox.depth": "\(left)"])
        }
    }

    private func drainForever(client: HTTPClient) async throws {
        var backoff = configuration.initialBackoff
        while true {
            try Task.checkCancellation()
            guard let item = peek() else {
                await waitForItem()
                continue
            }
            switch await post(item, client: client) {
            case .delivered:
                removeHead(ifKey: item.key)
                delivered.add(1, ordering: .relaxed)
                metrics.streamingForwarded.increment()
                backoff = configuration.initialBackoff
            case .rejected(let status):
                removeHead(ifKey: item.key)
                rejected.add(1, ordering: .relaxed)
                metrics.streamingRejected.increment()
                logger.error("streaming refused a watchlist.update; dropped", metadata: ["http.status": "\(status)", "idempotency.key": "\(item.key)"])
                backoff = configuration.initialBackoff
            case .retry(let reason):
                failedAttempts.add(1, ordering: .relaxed)
                metrics.streamingFailures.increment()
                logger.warning("forward to streaming failed; retrying", metadata: ["error.message": "\(reason)", "retry.in": "\(backoff)"])
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, configuration.maximumBackoff)
            }
        }
    }

    private enum Outcome {
        case delivered
        case rejected(Int)
        case retry(String)
    }

    private func post(_ item: Item, client: HTTPClient) async -> Outcome {
        var request = HTTPClientRequest(url: configuration.ingestURL)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Idempotency-Key", value: item.key)
        request.body = .bytes(item.body)
        do {
            let seconds = Int64(configuration.requestTimeout.components.seconds)
            let millis = seconds * 1000 + configuration.requestTimeout.components.attoseconds / 1_000_000_000_000_000
            let response = try await client.execute(request, timeout: .milliseconds(max(1, millis)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            switch status {
            case 200..<300: return .delivered
            case 408, 429, 500...: return .retry("HTTP \(status)")
            default: return .rejected(status)
            }
        } catch {
            return .retry("\(error)")
        }
    }

    private func peek() -> Item? {
        state.withLock { state in state.head < state.items.count ? state.items[state.head] : nil }
    }

    private func removeHead(ifKey key: String) {
        let depth = state.withLock { state -> Int in
            // The head may have been dropped by an overflow while the post was in flight.
            if state.head < state.items.count, state.items[state.head].key == key { state.head += 1 }
            if state.head == state.items.count {
                state.items.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return state.items.count - state.head
        }
        metrics.streamingOutboxDepth.record(depth)
    }

    private func waitForItem() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.head < state.items.count || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                let waiter = state.waiter
                state.waiter = nil
                return waiter
            }
            waiter?.resume()
        }
    }
}
