/// The one way services exchange events (the seeds' `streaming_bus`): publish, subscribe and
/// replay by sequence, behind three adapters chosen by `STREAMING_PIPELINE_BACKEND`.
///
/// Subjects are dot-separated (`market.{marketId}`, `rooms.{roomId}`, `overlay.{overlayId}`).
/// The first token names the *stream*: every subject that starts with `market.` lives in the
/// stream `market`, and sequence numbers increase monotonically per stream, with no gap
/// visible to a reader that asks for everything after N. A subscription or replay filter is a
/// subject or a wildcard inside one stream (`overlay.*`, `market.>`).
public protocol EventPipeline: Sendable {
    /// Appends an event and returns its sequence number in its stream. When
    /// `idempotencyKey` was already used on this stream within the deduplication window,
    /// nothing is appended and the first event's sequence is returned.
    /// Throws ``PipelineError`` when the broker cannot take the event: never a silent drop.
    func publish(subject: String, payload: [UInt8], idempotencyKey: String?) async throws -> UInt64

    /// Appends `events` in this order and returns their sequences, in the same order. The
    /// broker adapters send a batch in one round trip instead of one per event; from one
    /// process, a call's events are contiguous in their streams. A bad subject refuses the
    /// whole batch. Throws ``PipelineError`` when any event was not stored; the ones before it
    /// may have been: publish the same batch again with idempotency keys to be sure.
    func publish(_ events: [OutgoingEvent]) async throws -> [UInt64]

    /// Live events matching `filter`, starting at `start`. Events arrive in sequence order,
    /// with no gap and no duplicate, across broker reconnects. The sequence ends when the
    /// consuming task is cancelled.
    func subscribe(_ filter: String, from start: SubscriptionStart) async throws -> PipelineSubscription

    /// Up to `limit` stored events matching `filter` with a sequence greater than `after`,
    /// in order: exactly what live subscribers saw.
    func replay(_ filter: String, after: UInt64, limit: Int) async throws -> ReplayPage

    /// Whether the broker is reachable now (drives `/readyz`).
    func isReady() async -> Bool

    /// Stops background threads and broker connections; open subscriptions end with
    /// `unavailable`. Call once, at service shutdown. The memory adapter has nothing to stop.
    func shutdown() async
}

extension EventPipeline {
    /// Nothing to stop by default.
    public func shutdown() async {}

    /// One event after the other: adapters with a cheaper batch path override it.
    public func publish(_ events: [OutgoingEvent]) async throws -> [UInt64] {
        // A bad subject refuses the whole batch before anything is stored.
        for event in events { _ = try SubjectFilter.streamOfSubject(event.subject) }
        var sequences: [UInt64] = []
        sequences.reserveCapacity(events.count)
        for event in events {
            sequences.append(try await publish(subject: event.subject, payload: event.payload, idempotencyKey: event.idempotencyKey))
        }
        return sequences
    }

    /// Publishes without an idempotency key.
    public func publish(subject: String, payload: [UInt8]) async throws -> UInt64 {
        try await publish(subject: subject, payload: payload, idempotencyKey: nil)
    }
}
