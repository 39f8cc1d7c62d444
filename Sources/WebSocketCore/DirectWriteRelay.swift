import NIOCore
import NIOWebSocket

/// Sits in a WebSocket connection's pipeline, just after the frame encoder, for the connection's
/// direct writes (``WebSocketConnection/drain()``), which it writes itself:
/// - resumes them when the socket becomes writable again (backpressure for slow readers);
/// - stops them as soon as a close frame goes out, whoever wrote it (our writer, or
///   hummingbird-websocket answering a client's close), and drops any data frame written after
///   it (hummingbird-websocket's async writer does not check), so no data frame ever follows a
///   close frame on the wire.
///
/// All of it runs on the channel's event loop, in order with the drains, so the cut is exact.
final class DirectWriteRelay: ChannelDuplexHandler, RemovableChannelHandler {
    // Reads pass through untouched (at this position they are still bytes).
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let connection: WebSocketConnection
    private var closeWritten = false
    private var context: ChannelHandlerContext?
    /// The channel's writability as its events last said (read on the loop, cheaper than
    /// asking the channel on every drain).
    private(set) var isWritable = true
    /// The frame encoder's context: a frame encoded once for many connections is written
    /// there, so it goes out as is, after the encoder.
    private let encoderContext: ChannelHandlerContext
    /// Bookkeeping of the event loop's drain round in progress (see ``EventLoopDrainQueue``):
    /// whether this connection was touched, and whether its own queue must be drained.
    var inRound = false
    var roundNeedsDrain = false

    init(connection: WebSocketConnection, encoderContext: ChannelHandlerContext) {
        self.connection = connection
        self.encoderContext = encoderContext
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        isWritable = context.channel.isWritable
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        isWritable = context.channel.isWritable
        if isWritable {
            connection.drainCounting()
        }
        context.fireChannelWritabilityChanged()
    }

    /// Writes data frames from this handler's place in the pipeline (the handlers nearer the
    /// tail have nothing to do with them) and flushes once. Returns false when the frames
    /// cannot go out here (removed, or a close frame already went out).
    func writeDirect(_ frames: [WebSocketConnection.Outbound]) -> Bool {
        guard let context, !closeWritten else { return false }
        // Consecutive pre-encoded frames leave as one buffer: one write through the pipeline
        // instead of one per frame (a busy room queues several per viewer between drains).
        var runStart = frames.startIndex
        for index in frames.indices where frames[index].frame == nil {
            writeEncoded(frames[runStart..<index])
            let frame = frames[index]
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: frame.opcode, data: frame.buffer)), promise: nil)
            runStart = index + 1
        }
        writeEncoded(frames[runStart...])
        context.flush()
        return true
    }

    /// Writes pre-encoded frames (shared with the connection's loop neighbours) without
    /// flushing; false when they cannot go out here (removed, or a close frame already went out).
    func writeShared(_ frames: ByteBuffer) -> Bool {
        guard context != nil, !closeWritten else { return false }
        encoderContext.write(NIOAny(frames), promise: nil)
        return true
    }

    /// Flushes what ``writeShared(_:)`` wrote.
    func flush() {
        context?.flush()
    }

    /// Writes a run of pre-encoded frames below the encoder: a lone frame as it is (shared
    /// with the other viewers, no copy), several copied into one buffer.
    private func writeEncoded(_ run: ArraySlice<WebSocketConnection.Outbound>) {
        guard run.count > 1 else {
            if let frame = run.first?.frame { encoderContext.write(NIOAny(frame), promise: nil) }
            return
        }
        encoderContext.write(NIOAny(WebSocketConnection.Outbound.frames(of: run)), promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let opcode = unwrapOutboundIn(data).opcode
        if opcode == .connectionClose {
            closeWritten = true
            connection.markFinished()
        } else if closeWritten, opcode == .text || opcode == .binary || opcode == .continuation {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        context.write(data, promise: promise)
    }
}
