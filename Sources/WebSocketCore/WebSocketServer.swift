import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket

/// How every service serves HTTP and WebSockets on one port from one router.
public enum WebSocketServer {
    /// The server builder for `router` (which holds both the HTTP routes and the `ws` routes)
    /// with the WebSocket limits of `settings`.
    ///
    /// A refused upgrade (`shouldUpgrade` threw, no such route...) is answered with the router's
    /// response, e.g. 403 with the JSON error body, then the connection is closed; no socket opens.
    public static func builder<Context: WebSocketRequestContext & RequestContext>(
        router: Router<Context>,
        settings: WebSocketSettings
    ) -> HTTPServerBuilder {
        let webSocketResponder = router.buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(ws: .init(settings: settings))
        return HTTPServerBuilder { responder in
            RefusingWebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration)
        }
    }
}
