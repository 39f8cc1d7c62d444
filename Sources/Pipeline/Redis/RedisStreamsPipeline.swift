import Logging
import Synchronization

/// The Redis Streams adapter (`STREAMING_PIPELINE_BACKEND=redis`) through hiredis.
///
/// Each pipeline stream is the Redis stream `pipeline:{stream}`; sequences come from
/// `INCR pipeline:{stream}:seq` inside one Lua script (``RedisScripts``), so several processes
/// publishing to the same Redis share one gap-free sequence. Entry IDs are `0-{seq}`. Every
/// blocking call runs on a dedicated thread or ``BlockingWork``'s queue. The adapter never
/// throws at start: it connects in the background and ``isReady()`` reports the connection.
public final class RedisStreamsPipeline: EventPipeline {
    private let url: RedisURL
    private let retention: PipelineRetention
    private let publishTimeout: Duration
    private let subscriberBufferCapacity: Int
    private let logger: Logger
    private let publisher: RedisPublisher
    private let blocking = BlockingWork(label: "pipeline.redis.replay")
    private let idleConnections = Mutex<[RedisConnection]>([])
    private let subscriptions = Mutex<[ObjectIdentifier: SubscriptionMailbox]>([:])

    /// Starts connecting to `configuration.redisURL` in the background.
    public init(configuration: PipelineConfiguration, logger: Logger) {
        self.url = configuration.redisURL
        self.retention = configuration.retention
        self.publishTimeout = configuration.publishTimeout
        self.subscriberBufferCapacity = configuration.subscriberBufferCapacity
        self.logger = logger
        self.publisher = RedisPublisher(url: url, retention: retention, publishTimeout: publishTimeout, logger: logger)
        publisher.start()
    }

    deinit { publisher.shutdown() }

    public func publish(subject: String, payload: [UInt8], idempotencyKey: String?) async throws -> UInt64 {
        try await publish([OutgoingEvent(subject: subject, payload: payload, idempotencyKey: idempotencyKey)])[0]
    }

    /// One `EVALSHA` for the whole call on the publishing connection: the events are stored
    /// together and in order, in one round trip.
    public func publish(_ events: [OutgoingEvent]) async throws -> [UInt64] {
        try await publisher.publish(try events.map(StreamEvent.init))
    }

    public func subscribe(_ filter: String, from start: SubscriptionStart) async throws -> PipelineSubscription {
        let filter = try SubjectFilter(filter: filter)
        let mailbox = SubscriptionMailbox(capacity: subscriberBufferCapacity)
        let reader = RedisSubscriptionReader(url: url, filter: filter, start: start, mailbox: mailbox, logger: logger)
        let id = ObjectIdentifier(mailbox)
        subscriptions.withLock { $0[id] = mailbox }
        mailbox.setOnCancel { [weak self] in
            _ = self?.subscriptions.withLock { $0.removeValue(forKey: id) }
        }
        reader.start()
        if start == .new {
            try await reader.waitUntilPositioned(timeout: publishTimeout)
        }
        return mailbox.subscription()
    }

    public func replay(_ filter: String, after: UInt64, limit: Int) async throws -> ReplayPage {
        let filter = try SubjectFilter(filter: filter)
        let keys = RedisStreamKeys(stream: filter.stream)
        return try await blocking.run { [self] in
            // A pooled connection may have died with a Redis restart: then try once more on a
            // fresh one before reporting the broker unavailable.
            var lastFailure: RedisConnection.Failure?
            for _ in 0..<2 {
                let connection = try checkOut()
                do {
                    let page = try replay(connection: connection, keys: keys, filter: filter, after: after, limit: limit)
                    idleConnections.withLock { $0.append(connection) }
                    return page
                } catch let failure as RedisConnection.Failure {
                    lastFailure = failure
                    idleConnections.withLock { $0.removeAll() }
                }
            }
            throw PipelineError.unavailable("Redis replay failed: \(lastFailure.map { "\($0)" } ?? "unknown")")
        }
    }

    public func isReady() async -> Bool { publisher.isConnected }

    /// Stops the publisher thread and ends every subscription with `unavailable`.
    public func shutdown() async {
        publisher.shutdown()
        let open = subscriptions.withLock { subscriptions in
            defer { subscriptions.removeAll() }
            return Array(subscriptions.values)
        }
        for mailbox in open { mailbox.fail(PipelineError.unavailable("the Redis pipeline is shut down")) }
    }

    // MARK: - Replay

    private func checkOut() throws -> RedisConnection {
        if let idle = idleConnections.withLock({ $0.popLast() }) { return idle }
        do {
            return try RedisConnection(url: url, timeoutMilliseconds: 2000)
        } catch {
            throw PipelineError.unavailable("Redis at \(url) unreachable: \(error)")
        }
    }

    private func replay(connection: RedisConnection, keys: RedisStreamKeys, filter: SubjectFilter, after: UInt64, limit: Int) throws -> ReplayPage {
        let key = Array(keys.events.utf8)
        let first = try connection.command([Array("XRANGE".utf8), key, Array("-".utf8), Array("+".utf8), Array("COUNT".utf8), Array("1".utf8)])
        let last = try connection.command([Array("XREVRANGE".utf8), key, Array("+".utf8), Array("-".utf8), Array("COUNT".utf8), Array("1".utf8)])
        let firstAvailable = first.elements.first.flatMap(RedisStreamKeys.event(from:))?.sequence ?? 0
        let lastSequence = last.elements.first.flatMap(RedisStreamKeys.event(from:))?.sequence ?? 0
        var events: [PipelineEvent] = []
        var cursor = after
        let pageSize = max(64, min(limit, 1024))
        while events.count < limit && cursor < lastSequence {
            let reply = try connection.command([
                Array("XRANGE".utf8), key, Array("(0-\(cursor)".utf8), Array("+".utf8),
                Array("COUNT".utf8), Array(String(pageSize).utf8),
            ])
            let entries = reply.elements
            if entries.isEmpty { break }
            for entry in entries {
                guard let event = RedisStreamKeys.event(from: entry) else { continue }
                cursor = event.sequence
                if filter.matches(event.subject) {
                    events.append(event)
                    if events.count == limit { break }
                }
            }
        }
        return ReplayPage(events: events, nextAfter: events.last?.sequence ?? after, firstAvailable: firstAvailable, lastSequence: lastSequence)
    }
}
