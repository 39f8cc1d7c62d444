import NIOCore

/// Closes a connection that has not sent a byte when the server starts its graceful shutdown.
///
/// hummingbird-websocket only adds the HTTP/1.1 connection-state handler (which closes idle
/// connections on `ChannelShouldQuiesceEvent`) once the first request decided between HTTP and
/// WebSocket. A connection that was opened but never used (an HTTP client's pool, a browser's
/// preconnect) ignored the event, and the server's shutdown waited for it forever. Sits first
/// in every connection's pipeline; once bytes arrived it only passes events along.
final class IdleConnectionQuiesceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private var receivedBytes = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receivedBytes = true
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !receivedBytes {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
