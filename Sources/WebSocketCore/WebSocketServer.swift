import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket

/// How every service serves HTTP and WebSockets on one port from one router.
public enum WebSocketServer {
    /// The server builder for `router` (which holds both the HTTP routes and the `ws` routes)
    /// with the WebSocket limits of `settings`.
    public static func builder<Context: WebSocketRequestContext & RequestContext>(
        router: Router<Context>,
        settings: WebSocketSettings
    ) -> HTTPServerBuilder {
        .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(settings: settings)))
    }
}
