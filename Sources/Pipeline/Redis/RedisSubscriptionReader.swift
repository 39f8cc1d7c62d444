import Foundation
import Logging

/// One Redis subscription: its own connection on its own thread, looping on a blocking
/// `XREAD BLOCK` from the last sequence it saw. On any connection error it reconnects with
/// backoff and resumes from that same sequence: no gap, no duplicate.
final class RedisSubscriptionReader: @unchecked Sendable {
    private let url: RedisURL
    private let filter: SubjectFilter
    private let keys: RedisStreamKeys
    private let mailbox: SubscriptionMailbox
    private let logger: Logger
    private let condition = NSCondition()
    private var lastSequence: UInt64?
    private var resolved = false

    /// A reader for `filter` from `start`, delivering into `mailbox`.
    init(url: RedisURL, filter: SubjectFilter, start: SubscriptionStart, mailbox: SubscriptionMailbox, logger: Logger) {
        self.url = url
        self.filter = filter
        self.keys = RedisStreamKeys(stream: filter.stream)
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
        thread.name = "pipeline.redis.subscription"
        thread.start()
    }

    /// Waits (on the thread, not the caller's executor) until a `.new` start is pinned to the
    /// stream's current sequence, so that every event published after `subscribe` returns is seen.
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
            throw PipelineError.unavailable("Redis at \(url) unreachable; cannot start the subscription")
        }
    }

    private func run() {
        var connection: RedisConnection?
        var backoff = Backoff()
        var reportedDown = false
        let blockMilliseconds = 500
        while !mailbox.isCancelled {
            if connection == nil {
                do {
                    let fresh = try RedisConnection(url: url, timeoutMilliseconds: 2000)
                    fresh.setTimeout(milliseconds: blockMilliseconds + 2000)
                    connection = fresh
                    backoff.reset()
                    if reportedDown {
                        logger.info("pipeline subscription reconnected to Redis", metadata: ["pipeline.filter": "\(filter)"])
                        reportedDown = false
                    }
                } catch {
                    if !reportedDown {
                        logger.warning("pipeline subscription cannot reach Redis, retrying",
                                       metadata: ["pipeline.filter": "\(filter)", "error": "\(error)"])
                        reportedDown = true
                    }
                    Thread.sleep(forTimeInterval: backoff.next())
                    continue
                }
            }
            guard let active = connection else { continue }
            do {
                let after: UInt64
                if let known = currentLast() {
                    after = known
                } else {
                    let value = try active.command([Array("GET".utf8), Array(keys.sequence.utf8)])
                    if case .error(let message) = value {
                        throw RedisConnection.Failure(description: message, connectionLost: false)
                    }
                    let current = UInt64(value.integer ?? 0)
                    condition.lock()
                    lastSequence = current
                    resolved = true
                    condition.broadcast()
                    condition.unlock()
                    after = current
                }
                let reply = try active.command([
                    Array("XREAD".utf8), Array("COUNT".utf8), Array("512".utf8),
                    Array("BLOCK".utf8), Array(String(blockMilliseconds).utf8),
                    Array("STREAMS".utf8), Array(keys.events.utf8), Array("0-\(after)".utf8),
                ])
                if case .error(let message) = reply {
                    throw RedisConnection.Failure(description: message, connectionLost: false)
                }
                guard let streamReply = reply.elements.first?.elements, streamReply.count == 2 else { continue }
                var matching: [PipelineEvent] = []
                var newest = after
                for entry in streamReply[1].elements {
                    guard let event = RedisStreamKeys.event(from: entry) else { continue }
                    newest = event.sequence
                    if filter.matches(event.subject) { matching.append(event) }
                }
                if !mailbox.put(matching) { break }
                condition.lock()
                lastSequence = newest
                condition.unlock()
            } catch {
                connection = nil
                if !reportedDown {
                    logger.warning("pipeline subscription lost Redis, resuming from last sequence",
                                   metadata: ["pipeline.filter": "\(filter)", "pipeline.sequence": "\(currentLast() ?? 0)", "error": "\(error)"])
                    reportedDown = true
                }
                Thread.sleep(forTimeInterval: backoff.next())
            }
        }
    }

    private func currentLast() -> UInt64? {
        condition.lock()
        defer { condition.unlock() }
        return lastSequence
    }
}
