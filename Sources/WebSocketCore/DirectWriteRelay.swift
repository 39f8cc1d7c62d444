import NIOCore
import NIOWebSocket

/// Sits in a WebSocket connection's pipeline, just after the frame encoder, for the connection's
/// direct writes (``WebSocketConnection/drain(on:)``):
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

    init(connection: WebSocketConnection) {
        self.connection = connection
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            connection.drain(on: context.channel)
        }
        context.fireChannelWritabilityChanged()
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
