import NIOCore
import NIOEmbedded
import NIOWebSocket
import Synchronization
import Testing
@testable import WebSocketCore

/// The outbound log of an event loop: publishes cost one entry per loop, each connection still
/// sees one order (topic messages, its own messages and its close), consecutive publishes
/// leave as one write, full sockets queue and overflow as slow consumers, and messages that
/// come while the loop pauses after a drain go out together.
@Suite struct EventLoopDrainQueueTests {
    /// Connections writing directly on one embedded loop, as `TopicHub.serve` attaches them.
    struct Loop {
        let loop = EmbeddedEventLoop()
        let slowConsumers = SlowConsumerCount()
        let queue: EventLoopDrainQueue

        init() {
            queue = EventLoopDrainQueue(eventLoop: loop, metrics: WebSocketMetrics(endpoint: "test")) { [slowConsumers] in
                slowConsumers.value.add(1, ordering: .relaxed)
            }
        }

        func connection(id: UInt64, maxQueuedMessages: Int = 64, before: (any ChannelHandler)? = nil) throws -> (WebSocketConnection, EmbeddedChannel) {
            let channel = EmbeddedChannel(loop: loop)
            if let before { try channel.pipeline.syncOperations.addHandler(before) }
            let connection = WebSocketConnection(id: id, maxQueuedMessages: maxQueuedMessages)
            let (_, relay) = try DirectWriteRelayTests.relayOnChannel(channel, connection: connection)
            connection.attach(channel: channel, relay: relay, drainQueue: queue)
            return (connection, channel)
        }

        func publish(_ text: String, to subscribers: [WebSocketConnection], membership: UInt64 = 1) {
            queue.append(.topic(subscribers: subscribers, message: .shared(text: ByteBuffer(string: text)), membership: membership))
        }
    }

    final class SlowConsumerCount: Sendable {
        let value = Atomic<Int>(0)
    }

    /// The text messages each write of `channel` carried, one list per write (shared frames
    /// only: the encoder may write a connection's own frame as header and payload apart).
    static func writes(of channel: EmbeddedChannel) throws -> [[String]] {
        try DirectWriteRelayTests.writes(of: channel).map(DirectWriteRelayTests.texts(in:))
    }

    /// Every text message `channel` wrote, in order, whatever the writes.
    static func texts(of channel: EmbeddedChannel) throws -> [String] {
        var all = ByteBuffer()
        for write in try DirectWriteRelayTests.writes(of: channel) { all.writeImmutableBuffer(write) }
        return DirectWriteRelayTests.texts(in: all)
    }

    @Test func eachConnectionSeesPublishesAndItsOwnMessagesInTheOrderTheyWereQueued() throws {
        let loop = Loop()
        let (first, firstChannel) = try loop.connection(id: 1)
        let (second, secondChannel) = try loop.connection(id: 2)
        let both = [first, second]
        loop.publish("a", to: both)
        first.enqueue(text: "own-1")
        loop.publish("b", to: both)
        loop.publish("c", to: both)
        second.enqueue(text: "own-2")
        loop.publish("d", to: both)
        // A filtered publish (membership 0) between two to everyone.
        loop.publish("e", to: [second], membership: 0)
        loop.publish("f", to: both)
        loop.loop.run()

        let firstTexts = try Self.texts(of: firstChannel)
        let secondTexts = try Self.texts(of: secondChannel)
        #expect(firstTexts == ["a", "own-1", "b", "c", "d", "f"])
        #expect(secondTexts == ["a", "b", "c", "own-2", "d", "e", "f"])
        #expect(first.queuedCount == 0 && second.queuedCount == 0)
    }

    @Test func consecutivePublishesToTheSameSubscribersLeaveAsOneWriteOfOneBuffer() throws {
        let loop = Loop()
        let connections = try (1...3).map { try loop.connection(id: $0) }
        for text in ["a", "b", "c"] { loop.publish(text, to: connections.map(\.0)) }
        loop.loop.run()

        var buffers: [ByteBuffer] = []
        for (_, channel) in connections {
            let writes = try DirectWriteRelayTests.writes(of: channel)
            #expect(writes.count == 1, "one write per connection")
            #expect(DirectWriteRelayTests.texts(in: try #require(writes.first)) == ["a", "b", "c"])
            buffers.append(contentsOf: writes)
        }
        // The same bytes, copied once for the loop, not once per connection.
        let storages = Set(buffers.map { $0.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } })
        #expect(storages.count == 1)
    }

    @Test func aFullSocketQueuesInOrderThenOverflowsAsASlowConsumer() throws {
        let loop = Loop()
        let (stuck, stuckChannel) = try loop.connection(id: 1, maxQueuedMessages: 4)
        let (reader, readerChannel) = try loop.connection(id: 2, maxQueuedMessages: 4)
        func publish(_ text: String) { loop.publish(text, to: [stuck, reader]) }
        let embedded = loop.loop

        stuckChannel.isWritable = false
        stuckChannel.pipeline.fireChannelWritabilityChanged()
        publish("m0")
        publish("m1")
        embedded.run()
        #expect(try Self.writes(of: stuckChannel).isEmpty, "nothing written to a full socket")
        #expect(stuck.queuedCount == 2)

        // Writable again: what waited goes out, in order, before anything newer.
        stuckChannel.isWritable = true
        stuckChannel.pipeline.fireChannelWritabilityChanged()
        publish("m2")
        embedded.run()
        #expect(try Self.writes(of: stuckChannel).flatMap { $0 } == ["m0", "m1", "m2"])

        // Full again, past the limit of 4: closed as a slow consumer; the other reads on.
        stuckChannel.isWritable = false
        stuckChannel.pipeline.fireChannelWritabilityChanged()
        for index in 3..<9 { publish("m\(index)") }
        embedded.run()
        #expect(stuck.isClosing)
        #expect(loop.slowConsumers.value.load(ordering: .relaxed) == 1)
        #expect(try Self.writes(of: stuckChannel).isEmpty)
        #expect(try Self.writes(of: readerChannel).flatMap { $0 } == (0..<9).map { "m\($0)" })
    }

    @Test func aCloseComesAfterWhatWasQueuedBeforeItAndStopsWhatFollows() throws {
        let loop = Loop()
        let (connection, channel) = try loop.connection(id: 1)
        loop.publish("before", to: [connection])
        connection.enqueue(text: "own")
        connection.close(code: CloseCode.banned, reason: "banned")
        #expect(connection.isClosing, "closing from the call on")
        #expect(connection.enqueue(text: "late") == .closed)
        loop.publish("after", to: [connection])
        loop.loop.run()

        // The topic message went out; the own message waits in the queue for the writer task,
        // which writes it before the close frame; the publish after the close is dropped.
        let texts = try Self.texts(of: channel)
        #expect(texts == ["before"])
        #expect(connection.queuedCount == 1)
    }

    @Test func aSecondCloseDoesNotOvertakeTheFirst() throws {
        let loop = Loop()
        let (connection, _) = try loop.connection(id: 1)
        connection.enqueue(text: "banned: reason")
        connection.close(code: CloseCode.banned, reason: "banned")
        connection.close(code: CloseCode.goingAway, reason: "server shutting down")
        loop.loop.run()
        // Had the second close gone straight to the writer, the message queued before the
        // first would have been dropped.
        #expect(connection.queuedCount == 1)
        #expect(connection.isClosing)
    }

    @Test func aFinishedConnectionIsReleasedWithItsChannel() throws {
        let loop = Loop()
        weak var released: WebSocketConnection?
        do {
            let (connection, channel) = try loop.connection(id: 1)
            released = connection
            loop.publish("a", to: [connection])
            loop.loop.run()
            connection.markFinished()
            _ = try channel.finish()
        }
        #expect(released == nil, "the relay and the connection do not hold each other")
    }

    @Test func messagesDuringThePauseAfterADrainLeaveTogetherAndAQuietSpellWritesAtOnce() throws {
        let loop = Loop()
        // Each socket write takes 1 ms of the loop's (virtual) time; during the first one,
        // another thread publishes "b".
        let slowFlush = SlowFlush(loop: loop.loop)
        let (connection, channel) = try loop.connection(id: 1, before: slowFlush)
        slowFlush.duringFirstFlush = { loop.publish("b", to: [connection]) }
        loop.publish("a", to: [connection])
        loop.loop.run()
        let first = try Self.writes(of: channel)
        #expect(first == [["a"]])

        // The drain took 1 ms: the next waits 2 ms after it, for "b" (published during the
        // drain) as for "c".
        loop.publish("c", to: [connection])
        loop.loop.run()
        let paused = try Self.writes(of: channel)
        #expect(paused.isEmpty, "paused")
        // The pause ends 2 ms after the drain ended (1 ms after it started).
        loop.loop.advanceTime(by: .milliseconds(3))
        let gathered = try Self.writes(of: channel)
        #expect(gathered == [["b", "c"]])

        loop.loop.advanceTime(by: .seconds(1))
        loop.publish("d", to: [connection])
        loop.loop.run()
        let alone = try Self.writes(of: channel)
        #expect(alone == [["d"]], "no wait after a quiet spell")
        #expect(EventLoopDrainQueue.pause(after: .seconds(1), messagesPerSocket: 1) == EventLoopDrainQueue.maxPause)
    }

    @Test func aBacklogIsWrittenWithoutPausing() throws {
        let loop = Loop()
        let (connection, channel) = try loop.connection(id: 1, before: SlowFlush(loop: loop.loop))
        // A drain that carries enough per write (a backlog): the next one does not wait.
        let backlog = (0..<EventLoopDrainQueue.gatheredEnough).map { "m\($0)" }
        for text in backlog { loop.publish(text, to: [connection]) }
        loop.loop.run()
        loop.publish("next", to: [connection])
        // The drain ended at 1 ms (the embedded loop's clock reads 0 again after run()): no
        // pause after it, where a drain of one message per socket would be followed by 2 ms.
        loop.loop.advanceTime(by: .milliseconds(1))
        let writes = try Self.writes(of: channel)
        #expect(writes == [backlog, ["next"]])
        #expect(EventLoopDrainQueue.pause(after: .seconds(1), messagesPerSocket: EventLoopDrainQueue.gatheredEnough) == .zero)
    }

    /// Makes every flush take 1 ms of the embedded loop's time.
    final class SlowFlush: ChannelOutboundHandler, @unchecked Sendable {
        typealias OutboundIn = ByteBuffer
        let loop: EmbeddedEventLoop
        var duringFirstFlush: (() -> Void)?
        init(loop: EmbeddedEventLoop) { self.loop = loop }
        func flush(context: ChannelHandlerContext) {
            loop.advanceTime(by: .milliseconds(1))
            duringFirstFlush?()
            duringFirstFlush = nil
            context.flush()
        }
    }
}
