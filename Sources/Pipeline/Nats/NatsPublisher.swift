import CNats
import Foundation
import Logging

/// The publishing side of ``NatsJetStreamPipeline``: a dedicated thread hands queued events to
/// `js_PublishMsgAsync` (so many publishers share the connection without a round trip each),
/// and nats.c's acknowledgement callback resumes each caller with its JetStream sequence.
///
/// While NATS is unreachable, nats.c holds publishes in its reconnect buffer; each waits at most
/// the publish timeout (`jsPubOptions.MaxWait`) for its acknowledgement and then fails with
/// `unavailable`. Never a silent drop.
final class NatsPublisher: @unchecked Sendable {
    private struct Pending {
        let stream: String
        let subject: String
        let key: String?
        let payload: [UInt8]
        let continuation: CheckedContinuation<UInt64, any Error>
    }

    /// Batches smaller than this are flushed at once (see ``run()``).
    static let flushBelow = 8

    private let timeoutMilliseconds: Int64
    private let maxPending: Int
    private let logger: Logger
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var inflight: [UInt: (stream: String, continuation: CheckedContinuation<UInt64, any Error>)] = [:]
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
        condition.unlock()
        for entry in waiting.values {
            entry.continuation.resume(throwing: PipelineError.unavailable("the NATS pipeline is shut down"))
        }
    }

    /// Queues one event and waits for its JetStream sequence.
    func publish(stream: String, subject: String, payload: [UInt8], key: String?) async throws -> UInt64 {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            guard running else {
                condition.unlock()
                continuation.resume(throwing: PipelineError.unavailable("the NATS pipeline is shut down"))
                return
            }
            guard queue.count + inflight.count < maxPending else {
                condition.unlock()
                continuation.resume(throwing: PipelineError.unavailable("NATS publish buffer full (\(maxPending) events waiting)"))
                return
            }
            queue.append(Pending(stream: stream, subject: subject, key: key, payload: payload, continuation: continuation))
            condition.signal()
            condition.unlock()
        }
    }

    private func acknowledged(message: OpaquePointer?, ack: UnsafeMutablePointer<jsPubAck>?, failure: UnsafeMutablePointer<jsPubAckErr>?) {
        guard let message else { return }
        condition.lock()
        let entry = inflight.removeValue(forKey: UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(message))))
        let client = self.client
        condition.unlock()
        guard let (stream, continuation) = entry else { return }
        if let ack {
            continuation.resume(returning: ack.pointee.Sequence)
        } else {
            var reason = "no acknowledgement"
            if let failure {
                if failure.pointee.Err == NATS_NO_RESPONDERS { client?.forget(stream) }
                let status = natsStatus_GetText(failure.pointee.Err).map { String(cString: $0) } ?? "error"
                let text = failure.pointee.ErrText.map { String(cString: $0) } ?? ""
                reason = "\(status) \(text)"
            }
            continuation.resume(throwing: PipelineError.unavailable("NATS did not acknowledge the publish: \(reason)"))
        }
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
                condition.unlock()
                for pending in leftovers {
                    pending.continuation.resume(throwing: PipelineError.unavailable("the NATS pipeline is shut down"))
                }
                return
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            condition.unlock()

            var failedStreams: [String: String] = [:]
            for pending in batch {
                if let reason = failedStreams[pending.stream] {
                    pending.continuation.resume(throwing: PipelineError.unavailable(reason))
                    continue
                }
                do {
                    try client.ensureStream(pending.stream)
                } catch {
                    let reason = "NATS unreachable or refused the stream: \(error)"
                    failedStreams[pending.stream] = reason
                    pending.continuation.resume(throwing: PipelineError.unavailable(reason))
                    continue
                }
                send(pending, client: client)
            }
            // A small batch means few publishers are waiting: send it now rather than after
            // nats.c's 1 ms gathering delay. Large batches keep the delay, which batches writes.
            if batch.count < Self.flushBelow && failedStreams.isEmpty {
                client.flush()
            }
        }
    }

    private func send(_ pending: Pending, client: NatsClient) {
        var message: OpaquePointer?
        var status = pending.payload.withUnsafeBufferPointer { bytes in
            natsMsg_Create(&message, pending.subject, nil,
                           UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard status == NATS_OK, let created = message else {
            pending.continuation.resume(throwing: PipelineError.unavailable("cannot build the NATS message"))
            return
        }
        if let key = pending.key {
            _ = natsMsgHeader_Set(created, NatsStreamNames.idempotencyHeader, key)
        }
        let identity = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(created)))
        condition.lock()
        inflight[identity] = (pending.stream, pending.continuation)
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
            if status == NATS_NO_RESPONDERS { client.forget(pending.stream) }
            let text = natsStatus_GetText(status).map { String(cString: $0) } ?? "error"
            entry?.continuation.resume(throwing: PipelineError.unavailable("NATS refused the publish: \(text)"))
        }
    }
}
