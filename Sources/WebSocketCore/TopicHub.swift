import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import Synchronization

/// The fan-out of one WebSocket endpoint: topics (rooms, markets, watchlists, overlays) to the
/// connections subscribed to them.
///
/// ``publish(_:to:)`` takes bytes encoded once and queues the same buffer (shared storage, no
/// copy) on every subscriber; it never waits for a client. Run the hub as a `Service` in the
/// application's group, after the application: on graceful shutdown it closes every
/// connection with 1001 before the server stops.
public final class TopicHub: Sendable, Service {
    /// The settings every connection of this hub uses.
    public let settings: WebSocketSettings
    /// The metrics of this endpoint.
    public let metrics: WebSocketMetrics

    private let state = Mutex(State())
    /// One drain queue per event loop that serves this hub's connections.
    private let drainQueues = Mutex<[ObjectIdentifier: EventLoopDrainQueue]>([:])
    private let nextID = Atomic<UInt64>(1)
    private let slowConsumerCloses = Atomic<Int>(0)

    /// How many connections this hub closed as slow consumers.
    public var slowConsumerCloseCount: Int { slowConsumerCloses.load(ordering: .relaxed) }

    private struct State {
        var topics: [String: TopicMembers] = [:]
        var connections: [UInt64: WebSocketConnection] = [:]
        var shuttingDown = false
        /// The last membership number given to a loop's subscriber list (0 is never given).
        var lastMembership: UInt64 = 0

        mutating func nextMembership() -> UInt64 {
            lastMembership += 1
            return lastMembership
        }
    }

    public init(endpoint: String, settings: WebSocketSettings) {
        self.settings = settings
        self.metrics = WebSocketMetrics(endpoint: endpoint)
    }

    // MARK: Connections

    /// Makes a connection and registers it, or returns nil when the connection limit is reached
    /// or the hub is shutting down (answer 503 then).
    public func open(attributes: [String: String] = [:]) -> WebSocketConnection? {
        let connection = WebSocketConnection(
            id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue,
            maxQueuedMessages: settings.maxQueuedMessages,
            attributes: attributes
        )
        let count: Int? = state.withLock { state in
            guard !state.shuttingDown, state.connections.count < settings.maxConnections else { return nil }
            state.connections[connection.id] = connection
            return state.connections.count
        }
        guard let count else {
            metrics.connectionRejected()
            return nil
        }
        metrics.connectionOpened()
        metrics.connectionCount(count)
        return connection
    }

    /// Whether another connection would be accepted now (checked before the upgrade).
    public var hasCapacity: Bool {
        state.withLock { !$0.shuttingDown && $0.connections.count < settings.maxConnections }
    }

    /// Removes a connection from every topic and from the hub.
    public func remove(_ connection: WebSocketConnection) {
        let topics = connection.takeAllTopics()
        let count = state.withLock { state in
            for topic in topics { Self.detach(connection, from: topic, in: &state) }
            state.connections[connection.id] = nil
            return state.connections.count
        }
        connection.markFinished()
        metrics.connectionCount(count)
    }

    /// Connections currently open.
    public var connectionCount: Int {
        state.withLock { $0.connections.count }
    }

    // MARK: Topics

    /// Subscribes a connection to a topic; false when it already was.
    @discardableResult
    public func subscribe(_ connection: WebSocketConnection, to topic: String) -> Bool {
        guard connection.addTopic(topic) else { return false }
        let subscribed = state.withLock { state -> Bool in
            // A connection already removed (its socket ended during a catch-up) would stay in
            // the topic for good.
            guard state.connections[connection.id] != nil else { return false }
            // Read under the lock: an attach after this moves the connection (see attachToLoop).
            let drainQueue = connection.loopDrainQueue
            let membership = state.nextMembership()
            state.topics[topic, default: TopicMembers()].add(connection, drainQueue: drainQueue, membership: membership)
            return true
        }
        if !subscribed { _ = connection.removeTopic(topic) }
        return subscribed
    }

    /// Moves a connection that now writes directly to its event loop's subscriber lists, for
    /// the topics it joined before.
    private func attachToLoop(_ connection: WebSocketConnection, drainQueue: EventLoopDrainQueue) {
        let topics = connection.topics
        state.withLock { state in
            for topic in topics {
                guard state.topics[topic] != nil else { continue }
                let membership = state.nextMembership()
                state.topics[topic]?.moveToLoop(connection, drainQueue: drainQueue, membership: membership)
            }
        }
    }

    /// Unsubscribes a connection from a topic; false when it was not subscribed.
    @discardableResult
    public func unsubscribe(_ connection: WebSocketConnection, from topic: String) -> Bool {
        guard connection.removeTopic(topic) else { return false }
        state.withLock { state in Self.detach(connection, from: topic, in: &state) }
        return true
    }

    private static func detach(_ connection: WebSocketConnection, from topic: String, in state: inout State) {
        guard var members = state.topics[topic] else { return }
        let membership = state.nextMembership()
        members.remove(connection, membership: membership)
        state.topics[topic] = members.all.isEmpty ? nil : members
    }

    /// The subscribers of a topic now.
    public func subscribers(of topic: String) -> [WebSocketConnection] {
        state.withLock { $0.topics[topic]?.all ?? [] }
    }

    /// Queues `message` (one encoded text frame payload) on every subscriber of `topic`, or on
    /// those for which `filter` returns true. Returns how many connections it was queued on
    /// (those closing at that moment included). `filter` runs under the hub's lock: it must
    /// only read the connection (its `attributes`), never call back into the hub.
    @discardableResult
    public func publish(_ message: ByteBuffer, to topic: String, where filter: ((WebSocketConnection) -> Bool)? = nil) -> Int {
        // Encoded once, header included: every subscriber's socket gets the same bytes.
        let outbound = WebSocketConnection.Outbound.shared(text: message)
        var delivered = 0
        // Subscribers writing directly: one entry per event loop, queued under the lock so
        // that the loops see publishes and membership changes in one order.
        let others = state.withLock { state -> [WebSocketConnection] in
            guard let members = state.topics[topic] else { return [] }
            for group in members.loops.values {
                if let filter {
                    let targets = group.connections.filter(filter)
                    guard !targets.isEmpty else { continue }
                    group.drainQueue.append(.topic(subscribers: targets, message: outbound, membership: 0))
                    delivered += targets.count
                } else {
                    group.drainQueue.append(.topic(subscribers: group.connections, message: outbound, membership: group.membership))
                    delivered += group.connections.count
                }
            }
            return members.others
        }
        for connection in others {
            if let filter, !filter(connection) { continue }
            switch connection.enqueue(outbound) {
            case .queued: delivered += 1
            case .overflowed:
                metrics.slowConsumerClosed()
                slowConsumerCloses.add(1, ordering: .relaxed)
            case .closed: break
            }
        }
        return delivered
    }

    /// Queues `message` on every open connection (announcements, shutdown notices).
    public func broadcast(_ message: ByteBuffer) {
        let all = state.withLock { Array($0.connections.values) }
        let outbound = WebSocketConnection.Outbound.shared(text: message)
        for connection in all where connection.enqueue(outbound) == .overflowed {
            metrics.slowConsumerClosed()
            slowConsumerCloses.add(1, ordering: .relaxed)
        }
    }

    /// Closes every connection with `code`.
    public func closeAll(code: WebSocketErrorCode, reason: String) {
        let all = state.withLock { state in
            state.shuttingDown = true
            return Array(state.connections.values)
        }
        for connection in all { connection.close(code: code, reason: reason) }
    }

    // MARK: Serving one socket

    /// Runs one WebSocket for its whole life: registers nothing itself (call ``open(attributes:)``
    /// first), drains the connection's queue into `outbound`, hands every inbound message to
    /// `onMessage`, and removes the connection when either side ends. Inbound protocol errors
    /// (oversized message 1009, invalid UTF-8 1007) are rethrown so the server closes with the
    /// right code.
    ///
    /// When `channel` (the connection's NIO channel, from ``WebSocketServiceContext``) is
    /// given, a ``DirectWriteRelay`` guarantees that no data frame follows a close frame, and,
    /// with `directWrites` (the default), data frames are written on its event loop in batches
    /// with one flush each: the fast path. Otherwise every frame is one async write through
    /// hummingbird-websocket.
    public func serve(
        _ connection: WebSocketConnection,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        channel: (any Channel)? = nil,
        directWrites: Bool = true,
        logger: Logger,
        onMessage: @escaping @Sendable (WebSocketMessage) async throws -> Void
    ) async throws {
        defer { remove(connection) }
        let metrics = self.metrics
        if let channel {
            let drainQueue = directWrites ? drainQueue(for: channel.eventLoop) : nil
            try await channel.eventLoop.submit {
                let pipeline = channel.pipeline.syncOperations
                let encoder = try pipeline.handler(type: WebSocketFrameEncoder.self)
                let relay = DirectWriteRelay(connection: connection, encoderContext: try pipeline.context(handler: encoder))
                try pipeline.addHandler(relay, position: .after(encoder))
                if let drainQueue {
                    connection.attach(channel: channel, relay: relay, drainQueue: drainQueue)
                    self.attachToLoop(connection, drainQueue: drainQueue)
                    // Messages queued before the switch (a greeting, a snapshot) go out now.
                    connection.drainCounting()
                }
                // These two only matter before the upgrade: take them out of every frame's path.
                if let refusal = try? pipeline.handler(type: UpgradeRefusalHandler.self) {
                    pipeline.removeHandler(refusal, promise: nil)
                }
                if let quiesce = try? pipeline.handler(type: IdleConnectionQuiesceHandler.self) {
                    pipeline.removeHandler(quiesce, promise: nil)
                }
            }.get()
        }
        let maxMessageBytes = settings.maxMessageBytes
        let closeTimeout = settings.closeTimeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let writer = Task { await connection.runWriter(outbound, metrics: metrics) }
                connection.attachWriterCancellation { writer.cancel() }
                let end = await withTaskCancellationHandler {
                    await writer.value
                } onCancel: {
                    writer.cancel()
                }
                if end == .slowConsumer {
                    logger.warning("closing slow consumer", metadata: ["ws.connection": "\(connection.id)"])
                    // The close frame is queued behind what the client has not read: give it
                    // the close timeout, after which the server drops the TCP connection.
                    try? await Self.withTimeout(closeTimeout) {
                        try await outbound.close(CloseCode.slowConsumer, reason: "slow consumer")
                    }
                }
                // The writer ends when the connection closes: stop reading too.
                throw WriterEnded()
            }
            group.addTask {
                for try await message in inbound.messages(maxSize: maxMessageBytes) {
                    metrics.received()
                    try await onMessage(message)
                }
                connection.markFinished()
            }
            do {
                while try await group.next() != nil {}
            } catch is WriterEnded {
                group.cancelAll()
            } catch {
                connection.markFinished()
                group.cancelAll()
                throw error
            }
        }
    }

    /// The drain queue of `eventLoop`, made on first use.
    private func drainQueue(for eventLoop: any EventLoop) -> EventLoopDrainQueue {
        drainQueues.withLock { queues in
            let key = ObjectIdentifier(eventLoop)
            if let queue = queues[key] { return queue }
            let queue = EventLoopDrainQueue(eventLoop: eventLoop, metrics: metrics) { [weak self] in
                self?.metrics.slowConsumerClosed()
                self?.slowConsumerCloses.add(1, ordering: .relaxed)
            }
            queues[key] = queue
            return queue
        }
    }

    static func withTimeout(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw CancellationError()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private struct WriterEnded: Error {}

    // MARK: Service

    /// Waits for graceful shutdown, then closes every connection with 1001.
    public func run() async throws {
        try? await gracefulShutdown()
        closeAll(code: CloseCode.goingAway, reason: "server shutting down")
        // Let the close frames go out before the server itself stops.
        let deadline = ContinuousClock.now.advanced(by: settings.closeTimeout)
        while connectionCount > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
