import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization

/// One client's WebSocket: a bounded outbound queue drained by a single writer task, so that
/// fan-out never waits for a client.
///
/// Slow-consumer policy: when more than `maxQueuedMessages` messages are waiting, the queue
/// is dropped and the connection is closed with 4008 (``CloseCode/slowConsumer``); the other
/// clients are never slowed. A client can resume from the last sequence it saw.
public final class WebSocketConnection: Sendable, Hashable {
    /// Unique per process, for logs and metrics.
    public let id: UInt64
    /// Free-form attributes set at upgrade time (operator id, viewer id...), read-only after.
    public let attributes: [String: String]

    private let maxQueuedMessages: Int
    private let state: Mutex<State>

    /// One queued message: the payload bytes (shared between subscribers) and its frame type.
    struct Outbound {
        var buffer: ByteBuffer
        var opcode: WebSocketOpcode
    }

    private struct State {
        var pending: [Outbound] = []
        var closing: (code: WebSocketErrorCode, reason: String)? = nil
        var waiter: CheckedContinuation<Void, Never>? = nil
        var finished = false
        var topics: Set<String> = []
        var cancelWriter: (@Sendable () -> Void)? = nil
        /// When set, data frames are written straight on this channel's event loop, in
        /// batches with one flush, instead of one async write per frame.
        var channel: (any Channel)? = nil
        var metrics: WebSocketMetrics? = nil
        var drainScheduled = false
    }

    /// What ``enqueue(_:)`` did with a message.
    public enum EnqueueResult: Sendable, Equatable {
        /// Queued for the writer.
        case queued
        /// The queue overflowed: the connection is now closing as a slow consumer.
        case overflowed
        /// The connection is closing or closed; the message was dropped.
        case closed
    }

    public init(id: UInt64, maxQueuedMessages: Int, attributes: [String: String] = [:]) {
        self.id = id
        self.maxQueuedMessages = maxQueuedMessages
        self.attributes = attributes
        self.state = Mutex(State())
    }

    /// Queues a text frame's bytes (already encoded once for every subscriber). Never waits.
    @discardableResult
    public func enqueue(_ message: ByteBuffer) -> EnqueueResult {
        enqueue(Outbound(buffer: message, opcode: .text))
    }

    /// Queues a binary frame's bytes. Never waits.
    @discardableResult
    public func enqueue(binary message: ByteBuffer) -> EnqueueResult {
        enqueue(Outbound(buffer: message, opcode: .binary))
    }

    private func enqueue(_ message: Outbound) -> EnqueueResult {
        let (result, waiter, cancelWriter, drainOn) = state.withLock { state -> (EnqueueResult, CheckedContinuation<Void, Never>?, (@Sendable () -> Void)?, (any Channel)?) in
            guard state.closing == nil, !state.finished else { return (.closed, nil, nil, nil) }
            if state.pending.count >= maxQueuedMessages {
                // The writer is stuck behind a client that does not read: drop what is queued
                // and stop the writer, so the connection can be closed as a slow consumer.
                state.pending.removeAll()
                state.closing = (CloseCode.slowConsumer, "slow consumer: outbound queue overflowed")
                let waiter = state.waiter
                state.waiter = nil
                return (.overflowed, waiter, state.cancelWriter, nil)
            }
            state.pending.append(message)
            if let channel = state.channel {
                // One hop to the event loop per batch, not per message.
                guard !state.drainScheduled else { return (.queued, nil, nil, nil) }
                state.drainScheduled = true
                return (.queued, nil, nil, channel)
            }
            let waiter = state.waiter
            state.waiter = nil
            return (.queued, waiter, nil, nil)
        }
        waiter?.resume()
        cancelWriter?()
        if let drainOn {
            drainOn.eventLoop.execute { self.drain(on: drainOn) }
        }
        return result
    }

    /// Queues a string message.
    @discardableResult
    public func enqueue(text: String) -> EnqueueResult {
        enqueue(ByteBuffer(string: text))
    }

    /// Asks the writer to send what is queued, then close with `code`.
    public func close(code: WebSocketErrorCode, reason: String) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.closing == nil, !state.finished else { return nil }
            state.closing = (code, reason)
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Whether the connection is closing or closed.
    public var isClosing: Bool {
        state.withLock { $0.closing != nil || $0.finished }
    }

    /// Messages waiting to be written.
    public var queuedCount: Int {
        state.withLock { $0.pending.count }
    }

    // MARK: Topics (maintained by the hub)

    func addTopic(_ topic: String) -> Bool {
        state.withLock { $0.topics.insert(topic).inserted }
    }

    func removeTopic(_ topic: String) -> Bool {
        state.withLock { $0.topics.remove(topic) != nil }
    }

    /// The topics this connection is subscribed to.
    public var topics: Set<String> {
        state.withLock { $0.topics }
    }

    func takeAllTopics() -> Set<String> {
        state.withLock { state in
            let topics = state.topics
            state.topics = []
            return topics
        }
    }

    // MARK: Writer

    private enum Batch {
        case frames([Outbound])
        case close([Outbound], WebSocketErrorCode, String)
        case finished
    }

    private func nextBatch() async -> Batch {
        while true {
            let ready: Batch? = state.withLock { state in
                if state.finished { return .finished }
                if let closing = state.closing {
                    let frames = state.pending
                    state.pending = []
                    state.finished = true
                    return .close(frames, closing.code, closing.reason)
                }
                if state.channel == nil, !state.pending.isEmpty {
                    let frames = state.pending
                    state.pending = []
                    state.pending.reserveCapacity(min(frames.count, 64))
                    return .frames(frames)
                }
                return nil
            }
            if let ready { return ready }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.finished || state.closing != nil || (state.channel == nil && !state.pending.isEmpty) { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// How the writer ended.
    enum WriterEnd: Equatable {
        /// It sent a close frame with this code.
        case closed(WebSocketErrorCode)
        /// It was stopped because the client is a slow consumer; the close is still owed.
        case slowConsumer
        /// The socket went away.
        case socketGone
    }

    /// Lets an overflow stop a writer that is blocked on a client that does not read.
    func attachWriterCancellation(_ cancel: @escaping @Sendable () -> Void) {
        state.withLock { $0.cancelWriter = cancel }
    }

    /// Drains the queue into `outbound` until the connection closes.
    func runWriter(_ outbound: WebSocketOutboundWriter, metrics: WebSocketMetrics) async -> WriterEnd {
        do {
            while true {
                switch await nextBatch() {
                case .frames(let frames):
                    var bytes = 0
                    for frame in frames {
                        bytes += frame.buffer.readableBytes
                        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: frame.opcode, data: frame.buffer)))
                    }
                    metrics.sent(messages: frames.count, bytes: bytes)
                case .close(let frames, let code, let reason):
                    if code == CloseCode.slowConsumer { return .slowConsumer }
                    if let channel = state.withLock({ $0.channel }) {
                        _ = try await channel.eventLoop.submit { Self.write(frames, to: channel) }.get()
                    } else {
                        for frame in frames {
                            try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: frame.opcode, data: frame.buffer)))
                        }
                    }
                    try await outbound.close(code, reason: reason)
                    return .closed(code)
                case .finished:
                    return .socketGone
                }
            }
        } catch {
            let slow = state.withLock { $0.closing?.code == CloseCode.slowConsumer }
            markFinished()
            return slow ? .slowConsumer : .socketGone
        }
    }

    // MARK: Writing on the event loop

    /// Switches the connection to direct writes on `channel` (call before serving it).
    func attach(channel: any Channel, metrics: WebSocketMetrics) {
        state.withLock { state in
            state.channel = channel
            state.metrics = metrics
        }
    }

    /// Writes what is queued, with one flush, if the channel can take it; otherwise the
    /// writability relay calls again when it can. Runs on the channel's event loop.
    func drain(on channel: any Channel) {
        let taken: ([Outbound], WebSocketMetrics?)? = state.withLock { state in
            state.drainScheduled = false
            // Only in direct-write mode: otherwise the writer task owns the queue and order.
            guard state.channel != nil, !state.finished, state.closing == nil, !state.pending.isEmpty, channel.isWritable else { return nil }
            let frames = state.pending
            state.pending = []
            state.pending.reserveCapacity(min(frames.count, 64))
            return (frames, state.metrics)
        }
        guard let (frames, metrics) = taken else { return }
        let bytes = Self.write(frames, to: channel)
        metrics?.sent(messages: frames.count, bytes: bytes)
    }

    /// Writes frames and flushes once; returns the payload bytes written.
    @discardableResult
    static func write(_ frames: [Outbound], to channel: any Channel) -> Int {
        guard !frames.isEmpty else { return 0 }
        var bytes = 0
        for frame in frames {
            bytes += frame.buffer.readableBytes
            channel.write(WebSocketFrame(fin: true, opcode: frame.opcode, data: frame.buffer), promise: nil)
        }
        channel.flush()
        return bytes
    }

    /// Marks the connection closed (the socket is gone): later enqueues are dropped.
    func markFinished() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            state.pending = []
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    public static func == (lhs: WebSocketConnection, rhs: WebSocketConnection) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
