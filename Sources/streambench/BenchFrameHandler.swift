import NIOCore
import NIOWebSocket

/// One subscriber as a channel handler: frames are parsed where NIO decodes them, on the event
/// loop, with no task per message. This keeps the measuring client cheap, so the figures
/// describe the server (the reference figures were taken with a C load generator).
final class BenchFrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let pool: SubscriberPool
    private var tracker: SubscriberPool.Tracker

    init(pool: SubscriberPool, expected: Int) {
        self.pool = pool
        self.tracker = SubscriberPool.Tracker(expected: expected)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        pool.subscriberConnected()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            if tracker.record(frame.unmaskedData, pool: pool) {
                finish(context: context)
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            finish(context: context)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context: context)
        context.fireChannelInactive()
    }

    private func finish(context: ChannelHandlerContext) {
        guard !tracker.finished else { return }
        tracker.finish(pool: pool)
        context.close(promise: nil)
    }
}
