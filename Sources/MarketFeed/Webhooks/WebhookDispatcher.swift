import Foundation
import Logging
import Synchronization

/// Delivers events to webhook endpoints: one FIFO queue and one task per endpoint, so a slow
/// or failing receiver delays only itself and never the WebSocket fan-out (``offer(_:)`` only
/// appends to queues).
///
/// Per endpoint, events go out in sequence order. A failed attempt is retried after the
/// policy's backoff while later events wait behind it, so a receiver that comes back within
/// the retry window gets everything it missed, in order. An event whose attempts run out is
/// `abandoned`; events that then waited longer than the retry window are `expired` (the replay
/// REST is the safety net for both).
public final class WebhookDispatcher: Sendable {
    private struct Pending: Sendable {
        var event: FeedEvent
        var enqueuedAt: ContinuousClock.Instant
        var attempts = 0
    }

    private struct Queue {
        var endpoint: WebhookEndpoint
        var pending: [Pending] = []
        var log: [WebhookDeliveryRecord] = []
        var waiter: CheckedContinuation<Void, Never>?
        var worker: Task<Void, Never>?
    }

    private struct State {
        var queues: [String: Queue] = [:]
        var stopped = false
    }

    /// Most log lines kept per endpoint.
    public static let logCapacity = 500

    private let state = Mutex(State())
    private let transport: any WebhookTransport
    /// The retry policy every endpoint uses.
    public let policy: WebhookRetryPolicy
    private let logger: Logger
    private let onRecord: @Sendable (WebhookDeliveryRecord) -> Void

    /// A dispatcher sending through `transport`; `onRecord` sees every log line (metrics).
    public init(transport: any WebhookTransport, policy: WebhookRetryPolicy, logger: Logger,
                onRecord: @escaping @Sendable (WebhookDeliveryRecord) -> Void = { _ in }) {
        self.transport = transport
        self.policy = policy
        self.logger = logger
        self.onRecord = onRecord
    }

    // MARK: Endpoints

    /// Starts delivering to `endpoint` (events offered from now on).
    public func add(_ endpoint: WebhookEndpoint) {
        let started: Bool = state.withLock { state in
            guard !state.stopped, state.queues[endpoint.id] == nil else { return false }
            state.queues[endpoint.id] = Queue(endpoint: endpoint)
            return true
        }
        guard started else { return }
        let task = Task { [self] in await self.runWorker(endpointId: endpoint.id) }
        state.withLock { $0.queues[endpoint.id]?.worker = task }
    }

    /// Stops delivering to an endpoint and forgets its queue and log.
    public func remove(endpointId: String) {
        let queue = state.withLock { $0.queues.removeValue(forKey: endpointId) }
        queue?.worker?.cancel()
        queue?.waiter?.resume()
    }

    /// Stops every worker (service shutdown); queued events are not delivered.
    public func shutdown() {
        let queues = state.withLock { state in
            state.stopped = true
            let queues = state.queues
            state.queues = [:]
            return queues
        }
        for queue in queues.values {
            queue.worker?.cancel()
            queue.waiter?.resume()
        }
    }

    /// The delivery log of an endpoint, oldest first.
    public func deliveries(endpointId: String) -> [WebhookDeliveryRecord] {
        state.withLock { $0.queues[endpointId]?.log ?? [] }
    }

    /// Events waiting for an endpoint (the one being attempted included).
    public func backlog(endpointId: String) -> Int {
        state.withLock { $0.queues[endpointId]?.pending.count ?? 0 }
    }

    // MARK: Offering events

    /// Queues `event` on every endpoint that wants it. Never waits.
    public func offer(_ event: FeedEvent) {
        let now = ContinuousClock.now
        var waiters: [CheckedContinuation<Void, Never>] = []
        var dropped: [WebhookDeliveryRecord] = []
        state.withLock { state in
            for id in state.queues.keys {
                guard state.queues[id]!.endpoint.wants(event) else { continue }
                state.queues[id]!.pending.append(Pending(event: event, enqueuedAt: now))
                if state.queues[id]!.pending.count > policy.queueLimit {
                    // Drop the oldest waiting event that is not being attempted.
                    let victim = state.queues[id]!.pending.remove(at: 1)
                    let record = Self.record(victim, attempt: 0, outcome: .dropped, status: nil, error: "queue full", duration: .zero)
                    Self.append(record, to: &state.queues[id]!)
                    dropped.append(record)
                }
                if let waiter = state.queues[id]!.waiter {
                    state.queues[id]!.waiter = nil
                    waiters.append(waiter)
                }
            }
        }
        for record in dropped { onRecord(record) }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Worker

    private func runWorker(endpointId: String) async {
        while !Task.isCancelled {
            guard let (endpoint, head) = await nextHead(endpointId: endpointId) else { return }
            let attempt = head.attempts + 1
            let started = ContinuousClock.now
            let timestamp = Int64(Date().timeIntervalSince1970)
            let body = head.event.message
            let headers: [(String, String)] = [
                ("Content-Type", "application/json"),
                ("User-Agent", "market-ws-webhooks/1"),
                ("X-Webhook-Id", endpoint.id),
                ("X-Webhook-Event-Type", head.event.type),
                ("X-Webhook-Event-Seq", String(head.event.sequence)),
                ("X-Webhook-Attempt", String(attempt)),
                ("X-Webhook-Timestamp", String(timestamp)),
                ("X-Webhook-Signature", WebhookSignature.header(secret: endpoint.secret, timestamp: timestamp, body: body)),
            ]
            var status: Int?
            var failure: String?
            do {
                status = try await transport.post(url: endpoint.url, headers: headers, body: body, timeout: policy.requestTimeout)
            } catch {
                failure = String(describing: error)
            }
            if Task.isCancelled { return }
            let duration = ContinuousClock.now - started
            let delivered = status.map { (200..<300).contains($0) } ?? false
            let outcome: WebhookDeliveryRecord.Outcome = delivered ? .delivered : (attempt >= policy.maxAttempts ? .abandoned : .retrying)
            let record = Self.record(head, attempt: attempt, outcome: outcome, status: status, error: failure, duration: duration)
            let expired = finish(endpointId: endpointId, record: record, removeHead: outcome != .retrying)
            onRecord(record)
            for line in expired { onRecord(line) }
            switch outcome {
            case .delivered:
                continue
            case .abandoned:
                logger.warning("webhook delivery abandoned", metadata: [
                    "webhook.id": "\(endpoint.id)", "event.seq": "\(head.event.sequence)", "webhook.attempts": "\(attempt)",
                ])
            default:
                logger.debug("webhook delivery failed, retrying", metadata: [
                    "webhook.id": "\(endpoint.id)", "event.seq": "\(head.event.sequence)",
                    "webhook.status": "\(status.map(String.init) ?? "none")",
                ])
                try? await Task.sleep(for: policy.delay(afterAttempt: attempt))
            }
        }
    }

    /// Waits for the endpoint's first waiting event; `nil` when the endpoint was removed.
    private func nextHead(endpointId: String) async -> (WebhookEndpoint, Pending)? {
        while !Task.isCancelled {
            let ready: (WebhookEndpoint, Pending)?? = state.withLock { state in
                guard let queue = state.queues[endpointId] else { return .some(nil) }
                guard let head = queue.pending.first else { return nil }
                return .some((queue.endpoint, head))
            }
            if let ready { return ready }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    guard state.queues[endpointId] != nil, state.queues[endpointId]!.pending.isEmpty else { return true }
                    state.queues[endpointId]!.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        return nil
    }

    /// Logs the attempt; counts it on the head, removes the head when done with it, and
    /// expires what waited longer than the retry window after an abandoned event.
    private func finish(endpointId: String, record: WebhookDeliveryRecord, removeHead: Bool) -> [WebhookDeliveryRecord] {
        let window = policy.retryWindow
        let now = ContinuousClock.now
        return state.withLock { state in
            guard state.queues[endpointId] != nil else { return [] }
            Self.append(record, to: &state.queues[endpointId]!)
            guard !state.queues[endpointId]!.pending.isEmpty else { return [] }
            state.queues[endpointId]!.pending[0].attempts += 1
            guard removeHead else { return [] }
            state.queues[endpointId]!.pending.removeFirst()
            guard record.outcome == .abandoned else { return [] }
            var expired: [WebhookDeliveryRecord] = []
            while let first = state.queues[endpointId]!.pending.first, now - first.enqueuedAt > window {
                state.queues[endpointId]!.pending.removeFirst()
                let line = Self.record(first, attempt: 0, outcome: .expired, status: nil, error: "waited longer than the retry window", duration: .zero)
                Self.append(line, to: &state.queues[endpointId]!)
                expired.append(line)
            }
            return expired
        }
    }

    private static func append(_ record: WebhookDeliveryRecord, to queue: inout Queue) {
        queue.log.append(record)
        if queue.log.count > logCapacity { queue.log.removeFirst(queue.log.count - logCapacity) }
    }

    private static func record(_ pending: Pending, attempt: Int, outcome: WebhookDeliveryRecord.Outcome, status: Int?,
                               error: String?, duration: Duration) -> WebhookDeliveryRecord {
        let (seconds, attoseconds) = duration.components
        return WebhookDeliveryRecord(
            seq: pending.event.sequence,
            eventType: pending.event.type,
            attempt: attempt,
            outcome: outcome,
            responseStatus: status,
            error: error,
            timestamp: Int64(Date().timeIntervalSince1970 * 1000),
            durationMs: seconds * 1000 + attoseconds / 1_000_000_000_000_000
        )
    }
}
