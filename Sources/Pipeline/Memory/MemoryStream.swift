/// One stream of the memory adapter: a ring of retained events, the sequence counter, the
/// idempotency keys of the window, and the live subscribers. Guarded by the pipeline's lock.
final class MemoryStream {
    /// A live subscriber and the filter it asked for.
    struct Subscriber {
        let filter: SubjectFilter
        let mailbox: SubscriptionMailbox
    }

    private var events = MemoryEventLog()
    private(set) var lastSequence: UInt64 = 0
    private var keys = IdempotencyKeyWindow()
    var subscribers: [Int: Subscriber] = [:]

    /// The oldest sequence still held (0 when empty).
    var firstAvailable: UInt64 { events.isEmpty ? 0 : events[0].sequence }

    /// Drops events past the age or length limit.
    func trim(now: Int64, retention: PipelineRetention) {
        let cutoff = now - retention.maxAgeMilliseconds
        var old = 0
        while old < events.count && events[old].timestamp < cutoff { old += 1 }
        if let maxLength = retention.maxLength {
            old = max(old, events.count - maxLength)
        }
        if old > 0 { events.dropFirst(old) }
    }

    /// The sequence an idempotency key already got within the window (ms), if any.
    func sequence(forKey key: IdempotencyKey, now: Int64, window: Int64) -> UInt64? {
        keys.sequence(forKey: key, now: now, window: window)
    }

    /// Appends an event with the next sequence and remembers its key.
    func append(subject: String, payload: [UInt8], key: IdempotencyKey?, now: Int64, window: Int64) -> PipelineEvent {
        lastSequence += 1
        let event = PipelineEvent(subject: subject, sequence: lastSequence, timestamp: now, payload: payload)
        events.append(event)
        if let key {
            keys.remember(key, sequence: lastSequence, now: now, window: window)
        }
        return event
    }

    /// Stored events after `after` matching `filter`, at most `limit`.
    func events(matching filter: SubjectFilter, after: UInt64, limit: Int) -> [PipelineEvent] {
        guard !events.isEmpty, limit > 0 else { return [] }
        let first = events[0].sequence
        var index = after >= first ? Int(after - first + 1) : 0
        var result: [PipelineEvent] = []
        while index < events.count && result.count < limit {
            let event = events[index]
            if filter.matches(event.subject) { result.append(event) }
            index += 1
        }
        return result
    }
}
