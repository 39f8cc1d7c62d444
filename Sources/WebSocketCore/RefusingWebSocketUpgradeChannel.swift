import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// HTTP/1.1 with WebSocket upgrade, as hummingbird-websocket's `HTTP1WebSocketUpgradeChannel`
/// (which does all the work, so accepted upgrades and plain HTTP are unchanged), except that a
/// refused upgrade is answered with the router's own response (status, headers, JSON body,
/// `Connection: close`) rather than an empty `400 Bad Request`.
///
/// hummingbird-websocket (Apache-2.0, Copyright (c) the Hummingbird authors) hard-codes that 400
/// in a private method, and the route's handler is kept in internal state, so this type cannot
/// copy the channel; it builds one per connection around an ``UpgradeRecordingResponder`` and
/// puts an ``UpgradeRefusalHandler`` in front of the HTTP encoder. An
/// ``IdleConnectionQuiesceHandler`` lets graceful shutdown close connections that never sent a request.
struct RefusingWebSocketUpgradeChannel<WebSocketResponder: HTTPResponder>: ServerChildChannel
where WebSocketResponder.Context: WebSocketRequestContext & RequestContext {
    /// The upgrade channel built for one connection and its negotiation result.
    struct Value: ServerChildChannelValue {
        let upgradeChannel: HTTP1WebSocketUpgradeChannel
        let upgradeValue: HTTP1WebSocketUpgradeChannel.Value
        var channel: any Channel { upgradeValue.channel }
    }

    let responder: HTTPChannelHandler.Responder
    let webSocketResponder: WebSocketResponder
    let configuration: HTTP1WebSocketUpgradeChannel.Configuration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let refusal = UpgradeRefusal()
        let upgradeChannel = HTTP1WebSocketUpgradeChannel(
            responder: responder,
            webSocketResponder: UpgradeRecordingResponder(router: webSocketResponder, refusal: refusal),
            configuration: configuration
        )
        return upgradeChannel.setup(channel: channel, logger: logger).flatMapThrowing { upgradeValue in
            let pipeline = channel.pipeline.syncOperations
            let encoder = try pipeline.handler(type: HTTPResponseEncoder.self)
            try pipeline.addHandler(UpgradeRefusalHandler(refusal: refusal), position: .after(encoder))
            try pipeline.addHandler(IdleConnectionQuiesceHandler(), position: .first)
            return Value(upgradeChannel: upgradeChannel, upgradeValue: upgradeValue)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await value.upgradeChannel.handle(value: value.upgradeValue, logger: logger)
    }
}
