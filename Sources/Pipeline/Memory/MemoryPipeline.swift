import Synchronization

/// The in-process adapter (`STREAMING_PIPELINE_BACKEND=memory`, the default): one process, no
/// broker. Each stream is a bounded ring with the shared ``PipelineRetention`` rules.
///
/// Publishing never waits on subscribers: every subscriber has a bounded buffer, and one that
/// overflows has its subscription finished with ``PipelineError/slowSubscriber(_:)``; it can
/// resubscribe with `.after(lastSeenSequence)` and miss nothing that is still retained.
public final class MemoryPipeline: EventPipeline {
    private let state = Mutex<State>(State())
    private let retention: PipelineRetention
    private let subscriberBufferCapacity: Int

    private let windowMilliseconds: Int64

    private struct State: ~Copyable {
        var streams: [Substring: MemoryStream] = [:]
        var nextSubscriberID = 0
        /// The stream of the previous publish: most publishers hit one stream in a row.
        var recentName: Substring = ""
        var recent: MemoryStream?

        /// The stream named `name`, created on first use.
        mutating func stream(_ name: Substring) -> MemoryStream {
            if let recent, recentName == name { return recent }
            let stream: MemoryStream
            if let existing = streams[name] {
                stream = existing
            } else {
                stream = MemoryStream()
                streams[name] = stream
            }
            recentName = name
            recent = stream
            return stream
        }
    }

    /// - Parameters:
    ///   - retention: age, length and deduplication limits per stream.
    ///   - subscriberBufferCapacity: events a subscriber may fall behind before it is dropped.
    public init(retention: PipelineRetention = PipelineRetention(), subscriberBufferCapacity: Int = 65_536) {
        self.retention = retention
        self.subscriberBufferCapacity = subscriberBufferCapacity
        self.windowMilliseconds = retention.effectiveDeduplicationWindow.milliseconds
    }

    public func publish(subject: String, payload: [UInt8], idempotencyKey: String?) async throws -> UInt64 {
        try await publish([OutgoingEvent(subject: subject, payload: payload, idempotencyKey: idempotencyKey)])[0]
    }

    /// Appends the whole batch under one lock: its events are contiguous in their streams.
    public func publish(_ events: [OutgoingEvent]) async throws -> [UInt64] {
        let streamNames = try events.map { try SubjectFilter.streamOfSubject($0.subject) }
        let now = WallClock.nowMilliseconds()
        let window = windowMilliseconds
        var overflowed: [SubscriptionMailbox] = []
        let sequences = state.withLock { state -> [UInt64] in
            var sequences: [UInt64] = []
            sequences.reserveCapacity(events.count)
            for (outgoing, streamName) in zip(events, streamNames) {
                let stream = state.stream(streamName)
                let key = outgoing.idempotencyKey.map(IdempotencyKey.init)
                if let key, let sequence = stream.sequence(forKey: key, now: now, window: window) {
                    sequences.append(sequence)
                    continue
                }
                let event = stream.append(subject: outgoing.subject, payload: outgoing.payload, key: key, now: now, window: window)
                stream.trim(now: now, retention: retention)
                if !stream.subscribers.isEmpty {
                    var dropped: [Int] = []
                    for (id, subscriber) in stream.subscribers where subscriber.filter.matches(outgoing.subject) {
                        switch subscriber.mailbox.offer(event) {
                        case .accepted: break
                        case .overflowed:
                            dropped.append(id)
                            overflowed.append(subscriber.mailbox)
                        case .closed: dropped.append(id)
                        }
                    }
                    for id in dropped { stream.subscribers[id] = nil }
                }
                sequences.append(event.sequence)
            }
            return sequences
        }
        for mailbox in overflowed { mailbox.fail(PipelineError.slowSubscriber("buffer full")) }
        return sequences
    }

    public func subscribe(_ filter: String, from start: SubscriptionStart) async throws -> PipelineSubscription {
        let filter = try SubjectFilter(filter: filter)
        let now = WallClock.nowMilliseconds()
        let key = Substring(filter.stream)
        let (mailbox, id) = state.withLock { state -> (SubscriptionMailbox, Int) in
            let stream = state.stream(key)
            stream.trim(now: now, retention: retention)
            var backlog: [PipelineEvent] = []
            if case .after(let after) = start {
                backlog = stream.events(matching: filter, after: after, limit: .max)
            }
            let mailbox = SubscriptionMailbox(capacity: subscriberBufferCapacity, initial: backlog)
            let id = state.nextSubscriberID
            state.nextSubscriberID += 1
            stream.subscribers[id] = .init(filter: filter, mailbox: mailbox)
            return (mailbox, id)
        }
        mailbox.setOnCancel { [weak self] in
            self?.state.withLock { state in
                state.streams[key]?.subscribers[id] = nil
            }
        }
        return mailbox.subscription()
    }

    public func replay(_ filter: String, after: UInt64, limit: Int) async throws -> ReplayPage {
        let filter = try SubjectFilter(filter: filter)
        let now = WallClock.nowMilliseconds()
        return state.withLock { state in
            guard let stream = state.streams[Substring(filter.stream)] else {
                return ReplayPage(events: [], nextAfter: after, firstAvailable: 0, lastSequence: 0)
            }
            stream.trim(now: now, retention: retention)
            let events = stream.events(matching: filter, after: after, limit: limit)
            let first = stream.firstAvailable
            return ReplayPage(
                events: events,
                nextAfter: events.last?.sequence ?? after,
                firstAvailable: first,
                lastSequence: first == 0 ? 0 : stream.lastSequence
            )
        }
    }

    public func isReady() async -> Bool { true }
}
