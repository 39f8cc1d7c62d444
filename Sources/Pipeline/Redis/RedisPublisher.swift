import Foundation
import Logging

/// The publishing side of ``RedisStreamsPipeline``: one connection owned by one dedicated
/// thread. Concurrent `publish` calls queue their events; the thread sends everything queued
/// as one `EVALSHA` batch (up to ``maxBatch`` events), so many publishers cost one round trip.
/// A batch from one call is never split: its events are stored together, in order.
///
/// While Redis is unreachable, events wait in the bounded queue; each one fails with
/// `unavailable` when its deadline passes, and a full queue refuses at once. An event whose
/// batch was on the wire when the connection broke also fails with `unavailable` (it may or may
/// not be stored: publish again with the same idempotency key to be sure).
final class RedisPublisher: @unchecked Sendable {
    /// One publish call: one event, or a batch that is sent in one script call, in order.
    private struct Pending {
        let items: [StreamEvent]
        let deadline: UInt64
        let continuation: CheckedContinuation<[UInt64], any Error>
    }

    /// Most events sent in one script call: small enough that several calls are on the wire
    /// at once (Redis runs one while this thread encodes the next and resumes the callers of
    /// the previous), large enough that a call's overhead is shared by many events.
    static let maxBatch = 256
    /// Script calls on the wire at once.
    static let maxInFlight = 4

    private let url: RedisURL
    private let retention: PipelineRetention
    private let timeoutNanoseconds: UInt64
    private let maxPending: Int
    private let logger: Logger
    private let condition = NSCondition()
    private var queue: [Pending] = []
    /// Events in ``queue`` (a call may queue several).
    private var queuedEvents = 0
    private var running = true
    private var connected = false
    private var thread: Thread?

    /// `maxPending` bounds the events waiting while Redis is unreachable.
    init(url: RedisURL, retention: PipelineRetention, publishTimeout: Duration, maxPending: Int = 100_000, logger: Logger) {
        self.url = url
        self.retention = retention
        self.timeoutNanoseconds = UInt64(max(1, publishTimeout.nanoseconds))
        self.maxPending = maxPending
        self.logger = logger
    }

    /// Starts the thread; it connects in the background.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "pipeline.redis.publisher"
        self.thread = thread
        thread.start()
    }

    /// Whether the publishing connection is up.
    var isConnected: Bool {
        condition.lock()
        defer { condition.unlock() }
        return connected
    }

    /// Stops the thread; queued events fail with `unavailable`.
    func shutdown() {
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// Queues events that go out in one script call, whatever ``maxBatch`` says (so they are
    /// stored together, in order), and waits for their sequences.
    func publish(_ items: [StreamEvent]) async throws -> [UInt64] {
        guard !items.isEmpty else { return [] }
        let deadline = WallClock.monotonicNanoseconds() + timeoutNanoseconds
        return try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            guard running else {
                condition.unlock()
                continuation.resume(throwing: PipelineError.unavailable("the Redis pipeline is shut down"))
                return
            }
            guard queuedEvents + items.count <= maxPending else {
                condition.unlock()
                continuation.resume(throwing: PipelineError.unavailable("Redis publish buffer full (\(maxPending) events waiting)"))
                return
            }
            queue.append(Pending(items: items, deadline: deadline, continuation: continuation))
            queuedEvents += items.count
            condition.signal()
            condition.unlock()
        }
    }

    // MARK: - The thread

    private func run() {
        var connection: RedisConnection?
        var sha = ""
        var backoff = Backoff()
        var nextAttempt: UInt64 = 0
        var lastUse = WallClock.monotonicNanoseconds()
        var reportedDown = false
        while true {
            condition.lock()
            if queue.isEmpty && running {
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.25))
            }
            if !running {
                let leftovers = queue
                queue.removeAll()
                queuedEvents = 0
                connected = false
                condition.unlock()
                for pending in leftovers {
                    pending.continuation.resume(throwing: PipelineError.unavailable("the Redis pipeline is shut down"))
                }
                return
            }
            condition.unlock()

            let now = WallClock.monotonicNanoseconds()
            if connection == nil {
                expireOverdue(now: now)
                guard now >= nextAttempt else {
                    condition.lock()
                    if running {
                        let wait = min(Double(nextAttempt - now) / 1e9, 0.05)
                        _ = condition.wait(until: Date(timeIntervalSinceNow: wait))
                    }
                    condition.unlock()
                    continue
                }
                do {
                    let fresh = try RedisConnection(url: url, timeoutMilliseconds: 2000)
                    let loaded = try fresh.command([Array("SCRIPT".utf8), Array("LOAD".utf8), Array(RedisScripts.publishBatch.utf8)])
                    guard let digest = loaded.text else {
                        throw RedisConnection.Failure(description: "SCRIPT LOAD failed: \(loaded)", connectionLost: true)
                    }
                    sha = digest
                    connection = fresh
                    backoff.reset()
                    lastUse = now
                    setConnected(true)
                    logger.info("pipeline connected to Redis", metadata: ["redis.url": "\(url)"])
                    reportedDown = false
                } catch {
                    let delay = backoff.next()
                    nextAttempt = now + UInt64(delay * 1e9)
                    if !reportedDown {
                        logger.warning("pipeline cannot reach Redis, retrying", metadata: ["redis.url": "\(url)", "error": "\(error)"])
                        reportedDown = true
                    }
                    continue
                }
            }
            guard let active = connection else { continue }

            let batch = takeBatch()
            if batch.isEmpty {
                if now - lastUse > 1_000_000_000 {
                    lastUse = now
                    do {
                        _ = try active.command([Array("PING".utf8)])
                    } catch {
                        connection = nil
                        lost(error)
                    }
                }
                continue
            }
            lastUse = now
            // Up to ``maxInFlight`` batches on the wire: Redis runs the next script while this
            // thread resumes the previous batch's callers, instead of waiting for it.
            // A batch counts as in flight before it is handed to hiredis, so a failure there
            // still resumes its callers.
            var inFlight: [[Pending]] = [batch]
            var retry: [[Pending]] = []
            var scriptMissing = false
            do {
                try active.append(encoded: encode(sha: sha, batch: batch))
                while !inFlight.isEmpty {
                    // After a NOSCRIPT no new batch goes out: the ones on the wire come back,
                    // the script is loaded again and they are resent, in order.
                    while inFlight.count < Self.maxInFlight && !scriptMissing {
                        let next = takeBatch()
                        if next.isEmpty { break }
                        inFlight.append(next)
                        try active.append(encoded: encode(sha: sha, batch: next))
                    }
                    let reply = try active.readReply()
                    let done = inFlight.removeFirst()
                    if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
                        scriptMissing = true
                        retry.append(done)
                    } else {
                        complete(done, with: reply)
                    }
                }
                if !retry.isEmpty {
                    // The script cache was flushed: nothing of these batches ran; load and resend.
                    let loaded = try active.command([Array("SCRIPT".utf8), Array("LOAD".utf8), Array(RedisScripts.publishBatch.utf8)])
                    sha = loaded.text ?? sha
                    while let failed = retry.first {
                        try active.append(encoded: encode(sha: sha, batch: failed))
                        let reply = try active.readReply()
                        retry.removeFirst()
                        complete(failed, with: reply)
                    }
                }
            } catch {
                connection = nil
                lost(error)
                for pending in (inFlight + retry).joined() {
                    pending.continuation.resume(throwing: PipelineError.unavailable(
                        "Redis connection lost while publishing; the event may or may not be stored (\(error))"))
                }
            }
        }
    }

    private func lost(_ error: any Error) {
        setConnected(false)
        logger.warning("pipeline lost its Redis connection, reconnecting", metadata: ["redis.url": "\(url)", "error": "\(error)"])
    }

    private func setConnected(_ value: Bool) {
        condition.lock()
        connected = value
        condition.unlock()
    }

    /// The oldest calls whose events fit in ``maxBatch`` (at least one call, whatever its size).
    private func takeBatch() -> [Pending] {
        condition.lock()
        defer { condition.unlock() }
        guard !queue.isEmpty else { return [] }
        var count = 0
        var events = 0
        while count < queue.count, count == 0 || events + queue[count].items.count <= Self.maxBatch {
            events += queue[count].items.count
            count += 1
        }
        let batch = Array(queue[..<count])
        queue.removeFirst(count)
        queuedEvents -= events
        return batch
    }

    private func expireOverdue(now: UInt64) {
        condition.lock()
        var expired: [Pending] = []
        queue.removeAll { pending in
            if pending.deadline <= now {
                expired.append(pending)
                return true
            }
            return false
        }
        queuedEvents -= expired.reduce(0) { $0 + $1.items.count }
        condition.unlock()
        for pending in expired {
            pending.continuation.resume(throwing: PipelineError.unavailable("Redis at \(url) unreachable; publish timed out"))
        }
    }

    /// One `EVALSHA` of the batch script, RESP-encoded in one buffer.
    private func encode(sha: String, batch: [Pending]) -> [UInt8] {
        var capacity = 0
        var count = 0
        for pending in batch {
            count += pending.items.count
            for item in pending.items { capacity += item.payload.count + item.subject.utf8.count + 64 }
        }
        var command = RESPCommand(capacity: capacity)
        command.append("EVALSHA")
        command.append(sha)
        command.append("0")
        command.append(Int64(retention.maxLength ?? 0))
        command.append(retention.maxAgeMilliseconds)
        command.append(max(1, retention.effectiveDeduplicationWindow.milliseconds))
        command.append(Int64(count))
        for pending in batch {
            for item in pending.items {
                command.append(item.stream)
                command.append(item.subject)
                command.append(item.key ?? "")
                command.append(item.payload)
            }
        }
        return command.encoded()
    }

    private func complete(_ batch: [Pending], with reply: RedisValue) {
        let sequences = reply.elements
        guard sequences.count == batch.reduce(0, { $0 + $1.items.count }) else {
            let reason: String
            if case .error(let message) = reply { reason = message } else { reason = "unexpected reply \(reply)" }
            for pending in batch {
                pending.continuation.resume(throwing: PipelineError.unavailable("Redis refused the publish: \(reason)"))
            }
            return
        }
        var next = 0
        for pending in batch {
            let values = sequences[next..<next + pending.items.count]
            next += pending.items.count
            let numbers = values.compactMap { $0.integer.map { UInt64($0) } }
            if numbers.count == values.count {
                pending.continuation.resume(returning: numbers)
            } else {
                pending.continuation.resume(throwing: PipelineError.unavailable("Redis returned \(Array(values))"))
            }
        }
    }
}
