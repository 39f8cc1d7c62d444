import NIOCore

/// Sits first in a WebSocket connection's pipeline and resumes the connection's direct writes
/// when the socket becomes writable again (backpressure for clients that read slowly).
final class WritabilityRelay: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let connection: WebSocketConnection

    init(connection: WebSocketConnection) {
        self.connection = connection
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            connection.drain(on: context.channel)
        }
        context.fireChannelWritabilityChanged()
    }
}
