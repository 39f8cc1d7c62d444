import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the suite's routers that serve both HTTP and WebSockets: Hummingbird's
/// basic context plus the connection's channel, which ``TopicHub/serve(_:inbound:outbound:channel:logger:onMessage:)``
/// uses to write fan-out frames on the event loop in batches.
public struct WebSocketServiceContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<WebSocketServiceContext>
    /// The TCP connection this request arrived on.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}
