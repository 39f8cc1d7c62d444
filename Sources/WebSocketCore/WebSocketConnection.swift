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
        /// The whole frame (header and payload), encoded once for every subscriber of a
        /// publish; direct writes send it as is. `nil` for messages to one connection.
        var frame: ByteBuffer? = nil

        /// A text message for many connections, its frame encoded once.
        static func shared(text message: ByteBuffer) -> Outbound {
            Outbound(buffer: message, opcode: .text, frame: WebSocketFrameBytes.text(message))
        }

        /// The encoded frames of `messages` back to back in one new buffer (messages to one
        /// connection, which have none, are skipped).
        static func frames(of messages: some Collection<Outbound>) -> ByteBuffer {
            var bytes = 0
            for message in messages { bytes += message.frame?.readableBytes ?? 0 }
            var combined = ByteBufferAllocator().buffer(capacity: bytes)
            for message in messages {
                if let frame = message.frame { combined.writeImmutableBuffer(frame) }
            }
            return combined
        }
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
        /// Writes the direct frames from its place in the pipeline (see ``DirectWriteRelay``).
        var relay: NIOLoopBound<DirectWriteRelay>? = nil
        /// The outbound log of the channel's event loop, through which every message and the
        /// close go once the connection writes directly (so they keep the order they were
        /// queued in with the topics' messages).
        var drainQueue: EventLoopDrainQueue? = nil
        /// Messages for this connection alone in the drain queue, not yet in `pending`.
        var inFlight = 0
        /// A close was queued in the drain queue behind the messages before it.
        var closeRequested = false

        /// Drops what is queued and marks the connection closing as a slow consumer; returns
        /// the writer's waiter and cancellation, to call outside the lock.
        mutating func overflow() -> (CheckedContinuation<Void, Never>?, (@Sendable () -> Void)?) {
            pending.removeAll()
            closing = (CloseCode.slowConsumer, "slow consumer: outbound queue overflowed")
            let waiter = self.waiter
            self.waiter = nil
            return (waiter, cancelWriter)
        }
    }

    /// What a drain round does with a run of topic messages for this connection.
    enum Delivery {
        /// Nothing is waiting: write the run's shared bytes through this relay.
        case write(DirectWriteRelay)
        /// Appended to the queue (something is ahead, or the socket is full): drain it.
        case queued(DirectWriteRelay)
        /// The queue overflowed: the connection is now closing as a slow consumer.
        case overflowed
        /// The connection is closing or gone.
        case dropped
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

    func enqueue(_ message: Outbound) -> EnqueueResult {
        let (result, waiter, cancelWriter, drainQueue) = state.withLock { state -> (EnqueueResult, CheckedContinuation<Void, Never>?, (@Sendable () -> Void)?, EventLoopDrainQueue?) in
            guard state.closing == nil, !state.finished, !state.closeRequested else { return (.closed, nil, nil, nil) }
            if state.pending.count + state.inFlight >= maxQueuedMessages {
                // The writer is stuck behind a client that does not read: drop what is queued
                // and stop the writer, so the connection can be closed as a slow consumer.
                let (waiter, cancelWriter) = state.overflow()
                return (.overflowed, waiter, cancelWriter, nil)
            }
            if let drainQueue = state.drainQueue {
                // In order with the topics' messages, through the loop's log.
                state.inFlight += 1
                return (.queued, nil, nil, drainQueue)
            }
            state.pending.append(message)
            let waiter = state.waiter
            state.waiter = nil
            return (.queued, waiter, nil, nil)
        }
        waiter?.resume()
        cancelWriter?()
        drainQueue?.append(.single(self, message))
        return result
    }

    /// Queues a string message.
    @discardableResult
    public func enqueue(text: String) -> EnqueueResult {
        enqueue(ByteBuffer(string: text))
    }

    /// Asks the writer to send what is queued, then close with `code`.
    public func close(code: WebSocketErrorCode, reason: String) {
        enum Route { case none, log(EventLoopDrainQueue), now }
        let route = state.withLock { state -> Route in
            // The first close wins; a later one must not overtake it (or what it waits behind).
            guard state.closing == nil, !state.finished, !state.closeRequested else { return .none }
            guard let drainQueue = state.drainQueue else { return .now }
            state.closeRequested = true
            return .log(drainQueue)
        }
        switch route {
        case .none:
            break
        case .log(let drainQueue):
            // Behind what was queued before it, which the loop's log may still hold.
            drainQueue.append(.close(self, code: code, reason: reason))
        case .now:
            beginClose(code: code, reason: reason)
        }
    }

    /// Hands the close to the writer, after everything queued before it.
    func beginClose(code: WebSocketErrorCode, reason: String) {
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
        state.withLock { $0.closing != nil || $0.finished || $0.closeRequested }
    }

    /// Messages waiting to be written.
    public var queuedCount: Int {
        state.withLock { $0.pending.count + $0.inFlight }
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

    /// Switches the connection to direct writes on `channel` through `relay` (call on the
    /// channel's event loop, before the writer task starts).
    func attach(channel: any Channel, relay: DirectWriteRelay, drainQueue: EventLoopDrainQueue) {
        let relay = NIOLoopBound(relay, eventLoop: channel.eventLoop)
        state.withLock { state in
            state.channel = channel
            state.relay = relay
            state.drainQueue = drainQueue
        }
    }

    /// Writes what is queued, with one flush, if the channel can take it; otherwise the
    /// writability relay calls again when it can. Runs on the channel's event loop; does
    /// nothing unless the connection writes directly (otherwise the writer task owns the
    /// queue and its order). Returns what it wrote, for the caller to count: a drain queue
    /// counts a whole round at once, so the shared metrics are touched once per publish.
    func drain() -> (messages: Int, bytes: Int) {
        let taken: (frames: [Outbound], relay: DirectWriteRelay)? = state.withLock { state in
            guard let relay = state.relay?.value, !state.finished, state.closing == nil, !state.pending.isEmpty,
                  relay.isWritable else { return nil }
            var frames: [Outbound] = []
            swap(&frames, &state.pending)
            return (frames, relay)
        }
        guard let taken, taken.relay.writeDirect(taken.frames) else { return (0, 0) }
        var bytes = 0
        for frame in taken.frames { bytes += frame.buffer.readableBytes }
        return (taken.frames.count, bytes)
    }

    /// The drain queue of the loop this connection writes on, once it writes directly.
    var loopDrainQueue: EventLoopDrainQueue? {
        state.withLock { $0.drainQueue }
    }

    /// Moves a message for this connection alone from the drain queue to its own queue (on the
    /// event loop, in the queue's order); returns the relay to drain it through, or nil when
    /// the connection is closing or gone.
    func queueOnLoop(_ message: Outbound) -> DirectWriteRelay? {
        state.withLock { state in
            state.inFlight -= 1
            guard !state.finished, state.closing == nil, let relay = state.relay?.value else { return nil }
            state.pending.append(message)
            return relay
        }
    }

    /// Takes a run of topic messages during a drain round (on the event loop): to write as is
    /// when nothing is waiting and the socket takes writes, else appended to the queue, which
    /// may overflow.
    func deliverOnLoop(_ messages: [Outbound]) -> Delivery {
        let (delivery, waiter, cancelWriter) = state.withLock { state -> (Delivery, CheckedContinuation<Void, Never>?, (@Sendable () -> Void)?) in
            guard !state.finished, state.closing == nil, let relay = state.relay?.value else { return (.dropped, nil, nil) }
            if state.pending.isEmpty, relay.isWritable { return (.write(relay), nil, nil) }
            guard state.pending.count + state.inFlight + messages.count <= maxQueuedMessages else {
                let (waiter, cancelWriter) = state.overflow()
                return (.overflowed, waiter, cancelWriter)
            }
            state.pending.append(contentsOf: messages)
            return (.queued(relay), nil, nil)
        }
        waiter?.resume()
        cancelWriter?()
        return delivery
    }

    /// ``drain()`` outside a drain queue's round (writability regained, the first drain),
    /// counted at once.
    func drainCounting() {
        let (messages, bytes) = drain()
        guard messages > 0, let metrics = state.withLock({ $0.drainQueue?.metrics }) else { return }
        metrics.sent(messages: messages, bytes: bytes)
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
            // The relay holds this connection: let both go with the channel.
            state.relay = nil
            state.channel = nil
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    public static func == (lhs: WebSocketConnection, rhs: WebSocketConnection) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
