import CNats
import Foundation
import Logging

/// The publishing side of ``NatsJetStreamPipeline``: a dedicated thread hands queued events to
/// `js_PublishMsgAsync` (so many publishers share the connection without a round trip each),
/// and nats.c's acknowledgement callback resumes each caller with its JetStream sequence. A
/// batch from one call is handed to nats.c in order on the one connection, so JetStream stores
/// its events in that order; the caller resumes once every event is acknowledged.
///
/// While NATS is unreachable, nats.c holds publishes in its reconnect buffer; each waits at most
/// the publish timeout (`jsPubOptions.MaxWait`) for its acknowledgement and then fails with
/// `unavailable`. Never a silent drop.
final class NatsPublisher: @unchecked Sendable {
    /// One publish call waiting for its events to be handed to nats.c.
    private struct Pending {
        let items: [StreamEvent]
        let acknowledgements: Acknowledgements
    }

    /// The acknowledgements of one publish call; its caller resumes when the last one comes.
    /// Guarded by the publisher's `condition`.
    private final class Acknowledgements {
        var sequences: [UInt64]
        var remaining: Int
        var failure: String?
        let continuation: CheckedContinuation<[UInt64], any Error>

        init(count: Int, continuation: CheckedContinuation<[UInt64], any Error>) {
            self.sequences = Array(repeating: 0, count: count)
            self.remaining = count
            self.continuation = continuation
        }

        /// Records one event's outcome; returns the caller's result once every event has one.
        func record(index: Int, sequence: UInt64?, failure reason: String?) -> Result<[UInt64], any Error>? {
            if let sequence { sequences[index] = sequence }
            if let reason, failure == nil { failure = reason }
            remaining -= 1
            guard remaining == 0 else { return nil }
            if let failure { return .failure(PipelineError.unavailable(failure)) }
            return .success(sequences)
        }
    }

    /// Batches smaller than this are flushed at once (see ``run()``).
    static let flushBelow = 8

    private let timeoutMilliseconds: Int64
    private let maxPending: Int
    private let logger: Logger
    private let condition = NSCondition()
    private var queue: [Pending] = []
    /// Events in ``queue`` (a call may queue several).
    private var queuedEvents = 0
    private var inflight: [UInt: (stream: String, acknowledgements: Acknowledgements, index: Int)] = [:]
    private var running = true
    private var client: NatsClient?

    /// `maxPending` bounds queued plus unacknowledged events.
    init(publishTimeout: Duration, maxPending: Int = 100_000, logger: Logger) {
        self.timeoutMilliseconds = max(1, publishTimeout.milliseconds)
        self.maxPending = maxPending
        self.logger = logger
    }

    /// The acknowledgement callback given to nats.c; `closure` is an unretained `NatsPublisher`.
    static let ackHandler: jsPubAckHandler = { _, message, ack, failure, closure in
        guard let closure else {
            natsMsg_Destroy(message)
            return
        }
        let publisher = Unmanaged<NatsPublisher>.fromOpaque(closure).takeUnretainedValue()
        publisher.acknowledged(message: message, ack: ack, failure: failure)
        natsMsg_Destroy(message)
    }

    /// Starts the thread once the client exists.
    func start(client: NatsClient) {
        condition.lock()
        self.client = client
        condition.unlock()
        let thread = Thread { [self] in run() }
        thread.name = "pipeline.nats.publisher"
        thread.start()
    }

    /// Stops the thread; queued events fail with `unavailable`.
    func shutdown() {
        condition.lock()
        running = false
        condition.broadcast()
        let waiting = inflight
        inflight.removeAll()
        var results: [(Acknowledgements, Result<[UInt64], any Error>)] = []
        for entry in waiting.values {
            if let result = entry.acknowledgements.record(index: entry.index, sequence: nil, failure: "the NATS pipeline is shut down") {
                results.append((entry.acknowledgements, result))
            }
        }
        condition.unlock()
        for (acknowledgements, result) in results {
            acknowledgements.continuation.resume(with: result)
        }
    }

    /// Queues events that are handed to nats.c together, in order, and waits for their
    /// JetStream sequences.
    func publish(_ items: [StreamEvent]) async throws -> [UInt64] {
        guard !items.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            guard running else {
                condition.unlock()
                continuation.resume(throwing: PipelineError.unavailable("the NATS pipeline is shut down"))
                return
            }
            guard queuedEvents + inflight.count + items.count <= maxPending else {
                condition.unlock()
                continuation.resume(throwing: PipelineError.unavailable("NATS publish buffer full (\(maxPending) events waiting)"))
                return
            }
            queue.append(Pending(items: items, acknowledgements: Acknowledgements(count: items.count, continuation: continuation)))
            queuedEvents += items.count
            condition.signal()
            condition.unlock()
        }
    }

    private func acknowledged(message: OpaquePointer?, ack: UnsafeMutablePointer<jsPubAck>?, failure: UnsafeMutablePointer<jsPubAckErr>?) {
        guard let message else { return }
        var reason: String?
        if ack == nil {
            reason = "NATS did not acknowledge the publish: no acknowledgement"
            if let failure {
                let status = natsStatus_GetText(failure.pointee.Err).map { String(cString: $0) } ?? "error"
                let text = failure.pointee.ErrText.map { String(cString: $0) } ?? ""
                reason = "NATS did not acknowledge the publish: \(status) \(text)"
            }
        }
        condition.lock()
        let entry = inflight.removeValue(forKey: UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(message))))
        let client = self.client
        let result = entry.flatMap { $0.acknowledgements.record(index: $0.index, sequence: ack?.pointee.Sequence, failure: reason) }
        condition.unlock()
        if let entry, let failure, failure.pointee.Err == NATS_NO_RESPONDERS { client?.forget(entry.stream) }
        if let entry, let result { entry.acknowledgements.continuation.resume(with: result) }
    }

    /// Records an event that never reached nats.c.
    private func refuse(_ acknowledgements: Acknowledgements, index: Int, reason: String) {
        condition.lock()
        let result = acknowledgements.record(index: index, sequence: nil, failure: reason)
        condition.unlock()
        if let result { acknowledgements.continuation.resume(with: result) }
    }

    // MARK: - The thread

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && running {
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.5))
            }
            guard running, let client else {
                let leftovers = queue
                queue.removeAll()
                queuedEvents = 0
                condition.unlock()
                for pending in leftovers {
                    pending.acknowledgements.continuation.resume(throwing: PipelineError.unavailable("the NATS pipeline is shut down"))
                }
                return
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            queuedEvents = 0
            condition.unlock()

            var failedStreams: [String: String] = [:]
            var sent = 0
            for pending in batch {
                // Once an event of a call is refused, the rest of the call is too: storing
                // later events without it would put them before it when the call is retried.
                var callFailure: String?
                for (index, item) in pending.items.enumerated() {
                    if let reason = callFailure ?? failedStreams[item.stream] {
                        callFailure = reason
                        refuse(pending.acknowledgements, index: index, reason: reason)
                        continue
                    }
                    do {
                        try client.ensureStream(item.stream)
                    } catch {
                        let reason = "NATS unreachable or refused the stream: \(error)"
                        failedStreams[item.stream] = reason
                        callFailure = reason
                        refuse(pending.acknowledgements, index: index, reason: reason)
                        continue
                    }
                    if let reason = send(item, acknowledgements: pending.acknowledgements, index: index, client: client) {
                        callFailure = reason
                    } else {
                        sent += 1
                    }
                }
            }
            // A small batch means few publishers are waiting: send it now rather than after
            // nats.c's 1 ms gathering delay. Large batches keep the delay, which batches writes.
            if sent < Self.flushBelow && failedStreams.isEmpty {
                client.flush()
            }
        }
    }

    /// Hands one event to nats.c; returns why it was refused at once, or nil once it is on its
    /// way (its acknowledgement, or the lack of one, resolves it later).
    private func send(_ item: StreamEvent, acknowledgements: Acknowledgements, index: Int, client: NatsClient) -> String? {
        var message: OpaquePointer?
        var status = item.payload.withUnsafeBufferPointer { bytes in
            natsMsg_Create(&message, item.subject, nil,
                           UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard status == NATS_OK, let created = message else {
            let reason = "cannot build the NATS message"
            refuse(acknowledgements, index: index, reason: reason)
            return reason
        }
        if let key = item.key {
            _ = natsMsgHeader_Set(created, NatsStreamNames.idempotencyHeader, key)
        }
        let identity = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(created)))
        condition.lock()
        inflight[identity] = (item.stream, acknowledgements, index)
        condition.unlock()
        var options = jsPubOptions()
        jsPubOptions_Init(&options)
        options.MaxWait = timeoutMilliseconds
        status = js_PublishMsgAsync(client.jetStream, &message, &options)
        if status != NATS_OK {
            condition.lock()
            let entry = inflight.removeValue(forKey: identity)
            condition.unlock()
            natsMsg_Destroy(message)
            if status == NATS_NO_RESPONDERS { client.forget(item.stream) }
            let text = natsStatus_GetText(status).map { String(cString: $0) } ?? "error"
            let reason = "NATS refused the publish: \(text)"
            if entry != nil {
                refuse(acknowledgements, index: index, reason: reason)
            }
            return reason
        }
        return nil
    }
}
