import NIOCore
import NIOHTTP1

/// Sits just before the HTTP/1.1 response encoder of one connection and, when the upgrade was
/// refused, swaps hummingbird-websocket's empty `400 Bad Request` for the router's recorded answer.
///
/// It decides on the first write: after a `101` (upgrade accepted), or on a connection whose
/// upgrade was never attempted, it passes everything untouched (WebSocket frames included).
/// (Removing itself from the pipeline inside that first write stalled accepted upgrades.)
final class UpgradeRefusalHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let refusal: UpgradeRefusal
    private var replacing = false
    private var passing = false

    init(refusal: UpgradeRefusal) {
        self.refusal = refusal
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if passing {
            context.write(data, promise: promise)
            return
        }
        if replacing {
            switch unwrapOutboundIn(data) {
            case .head, .body:
                promise?.succeed()
            case .end:
                context.write(data, promise: promise)
            }
            return
        }
        // Only an upgrade attempt records an answer, and then the first write is an HTTP head.
        guard let recorded = refusal.response,
            case .head(let head) = unwrapOutboundIn(data),
            head.status == .badRequest
        else {
            passing = true
            context.write(data, promise: promise)
            return
        }
        replacing = true
        context.write(wrapOutboundOut(.head(recorded.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(recorded.body))), promise: promise)
    }
}
