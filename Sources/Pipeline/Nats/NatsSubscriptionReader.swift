import Foundation
import Logging

/// One NATS subscription: an ephemeral push consumer (DeliverByStartSequence, filtered on the
/// subscription's subject, flow control and heartbeats) read on a dedicated thread. The reader
/// remembers the last stream sequence it delivered; after any error, a jump in the consumer
/// sequence (a delivery lost in a reconnect), or a consumer the server no longer has (checked
/// when idle), it drops the consumer and creates a new one starting right after that
/// sequence: no gap, no duplicate.
final class NatsSubscriptionReader: @unchecked Sendable {
    private let client: NatsClient
    private let filter: SubjectFilter
    private let mailbox: SubscriptionMailbox
    private let logger: Logger
    private let condition = NSCondition()
    private var lastSequence: UInt64?
    private var resolved = false

    /// A reader for `filter` from `start`, delivering into `mailbox`.
    init(client: NatsClient, filter: SubjectFilter, start: SubscriptionStart, mailbox: SubscriptionMailbox, logger: Logger) {
        self.client = client
        self.filter = filter
        self.mailbox = mailbox
        self.logger = logger
        if case .after(let sequence) = start {
            lastSequence = sequence
            resolved = true
        }
    }

    /// Starts the reading thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "pipeline.nats.subscription"
        thread.start()
    }

    /// Waits until a `.new` start is pinned to the stream's last sequence.
    func waitUntilPositioned(timeout: Duration) async throws {
        let deadline = Date(timeIntervalSinceNow: Double(timeout.milliseconds) / 1000)
        let positioned: Bool = await withCheckedContinuation { continuation in
            let waiter = Thread { [self] in
                condition.lock()
                while !resolved && Date() < deadline && !mailbox.isCancelled {
                    _ = condition.wait(until: min(deadline, Date(timeIntervalSinceNow: 0.1)))
                }
                let done = resolved
                condition.unlock()
                continuation.resume(returning: done)
            }
            waiter.start()
        }
        if !positioned {
            mailbox.cancel()
            throw PipelineError.unavailable("NATS unreachable; cannot start the subscription on \(filter)")
        }
    }

    /// How long a subscription may see nothing before it checks its consumer.
    static let idleCheckNanoseconds: UInt64 = 3_000_000_000

    private func run() {
        var consumer: OpaquePointer?
        var expectedConsumerSequence: UInt64 = 1
        var lastDelivery = WallClock.monotonicNanoseconds()
        var backoff = Backoff()
        var reportedDown = false
        defer { if let consumer { client.drop(consumer) } }
        while !mailbox.isCancelled {
            do {
                if consumer == nil {
                    try client.ensureStream(filter.stream)
                    condition.lock()
                    var after = lastSequence
                    condition.unlock()
                    if after == nil {
                        let current = try client.streamState(filter.stream).last
                        condition.lock()
                        lastSequence = current
                        resolved = true
                        condition.broadcast()
                        condition.unlock()
                        after = current
                    }
                    consumer = try client.pushConsumer(filter: filter, after: after ?? 0)
                    expectedConsumerSequence = 1
                    lastDelivery = WallClock.monotonicNanoseconds()
                    backoff.reset()
                    if reportedDown {
                        logger.info("pipeline subscription resumed on NATS", metadata: ["pipeline.filter": "\(filter)", "pipeline.sequence": "\(after ?? 0)"])
                        reportedDown = false
                    }
                }
                guard let active = consumer else { continue }
                let fetched = try client.next(active, limit: 256, wait: .milliseconds(500))
                if fetched.isEmpty {
                    // Idle: every few seconds make sure the consumer still exists on the server.
                    let now = WallClock.monotonicNanoseconds()
                    if now - lastDelivery > Self.idleCheckNanoseconds {
                        lastDelivery = now
                        try client.checkConsumer(active)
                    }
                    continue
                }
                lastDelivery = WallClock.monotonicNanoseconds()
                var events: [PipelineEvent] = []
                var gap = false
                for item in fetched {
                    if item.consumerSequence != expectedConsumerSequence {
                        gap = true
                        break
                    }
                    expectedConsumerSequence += 1
                    events.append(item.event)
                }
                if !events.isEmpty {
                    if !mailbox.put(events) { break }
                    condition.lock()
                    lastSequence = events.last!.sequence
                    condition.unlock()
                }
                if gap {
                    logger.debug("pipeline subscription saw a consumer gap, recreating", metadata: ["pipeline.filter": "\(filter)"])
                    client.drop(active)
                    consumer = nil
                }
            } catch {
                if let active = consumer {
                    client.drop(active)
                    consumer = nil
                }
                // If the stream itself is gone (wiped store), create it again on the next try.
                client.forget(filter.stream)
                if !reportedDown {
                    logger.warning("pipeline subscription lost NATS, resuming from last sequence",
                                   metadata: ["pipeline.filter": "\(filter)", "error": "\(error)"])
                    reportedDown = true
                }
                Thread.sleep(forTimeInterval: backoff.next())
            }
        }
    }
}
