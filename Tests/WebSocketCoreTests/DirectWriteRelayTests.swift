import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing
@testable import WebSocketCore

/// How a drain's frames reach the socket: consecutive frames encoded once for every viewer
/// leave as one buffer (one write through the pipeline, not one per frame), in order around
/// a connection's own messages, and a lone shared frame is written as it is.
@Suite struct DirectWriteRelayTests {
    /// `channel` with the WebSocket frame encoder and `connection`'s relay where the server
    /// puts them.
    static func relayOnChannel(
        _ channel: EmbeddedChannel = EmbeddedChannel(),
        connection: WebSocketConnection = WebSocketConnection(id: 1, maxQueuedMessages: 64)
    ) throws -> (EmbeddedChannel, DirectWriteRelay) {
        let encoder = WebSocketFrameEncoder()
        try channel.pipeline.syncOperations.addHandler(encoder)
        let relay = DirectWriteRelay(
            connection: connection,
            encoderContext: try channel.pipeline.syncOperations.context(handler: encoder)
        )
        try channel.pipeline.syncOperations.addHandler(relay, position: .after(encoder))
        return (channel, relay)
    }

    static func shared(_ text: String) -> WebSocketConnection.Outbound {
        .shared(text: ByteBuffer(string: text))
    }

    /// Every buffer the channel wrote, in order.
    static func writes(of channel: EmbeddedChannel) throws -> [ByteBuffer] {
        var writes: [ByteBuffer] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { writes.append(buffer) }
        return writes
    }

    /// The text messages of unmasked server frames with payloads under 126 bytes, in order.
    static func texts(in bytes: ByteBuffer) -> [String] {
        var bytes = bytes
        var texts: [String] = []
        while let head = bytes.readInteger(as: UInt8.self), let length = bytes.readInteger(as: UInt8.self) {
            #expect(head == 0x81, "a final text frame")
            #expect(length < 126, "no mask, short payload")
            guard let text = bytes.readString(length: Int(length)) else { break }
            texts.append(text)
        }
        #expect(bytes.readableBytes == 0, "whole frames only")
        return texts
    }

    @Test func consecutiveSharedFramesLeaveAsOneBuffer() throws {
        let (channel, relay) = try Self.relayOnChannel()
        let own = WebSocketConnection.Outbound(buffer: ByteBuffer(string: "own"), opcode: .text)
        let frames = [Self.shared("a"), Self.shared("b"), own, Self.shared("c"), Self.shared("d"), Self.shared("e")]
        #expect(relay.writeDirect(frames))

        let writes = try Self.writes(of: channel)
        var all = ByteBuffer()
        for write in writes { all.writeImmutableBuffer(write) }
        #expect(Self.texts(in: all) == ["a", "b", "own", "c", "d", "e"])
        // "a" and "b" in the first buffer, "c", "d" and "e" in the last; the connection's own
        // frame between them (the encoder may write its header and payload apart).
        #expect(writes.count <= 4)
        #expect(Self.texts(in: try #require(writes.first)) == ["a", "b"])
        #expect(Self.texts(in: try #require(writes.last)) == ["c", "d", "e"])
        _ = try channel.finish()
    }

    @Test func loneSharedFrameIsWrittenAsItIs() throws {
        let (channel, relay) = try Self.relayOnChannel()
        let frame = Self.shared("only")
        #expect(relay.writeDirect([frame]))
        let writes = try Self.writes(of: channel)
        #expect(writes == [try #require(frame.frame)])
        _ = try channel.finish()
    }

    @Test func nothingIsWrittenAfterTheCloseFrame() throws {
        let (channel, relay) = try Self.relayOnChannel()
        channel.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer()), promise: nil)
        channel.flush()
        _ = try Self.writes(of: channel)
        #expect(!relay.writeDirect([Self.shared("late"), Self.shared("later")]))
        #expect(try Self.writes(of: channel).isEmpty)
        _ = try channel.finish()
    }
}
