import HTTPCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import WebSocketCore

/// A minimal WebSocket service built the way the suite's services build theirs:
/// `GET /ws/{topic}` subscribes the socket to `topic`; inbound text is echoed as `echo:<text>`.
enum HubTestServer {
    /// - Parameter directWrites: write fan-out frames on the channel's event loop (the fast
    ///   path services use) rather than through hummingbird-websocket's async writer.
    static func makeApplication(hub: TopicHub, directWrites: Bool = true, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: WebSocketServiceContext.self)
        router.add(middleware: ErrorMiddleware())
        router.ws("/ws/:topic", shouldUpgrade: { _, _ in
            guard hub.hasCapacity else { throw APIError.unavailable("too many connections", code: "too_many_connections") }
            return .upgrade([:])
        }) { inbound, outbound, context in
            let topic = context.requestContext.parameters.get("topic") ?? "none"
            guard let connection = hub.open() else { return }
            hub.subscribe(connection, to: topic)
            let channel = context.requestContext.channel
            try await hub.serve(connection, inbound: inbound, outbound: outbound, channel: channel, directWrites: directWrites, logger: context.logger) { message in
                if case .text(let text) = message {
                    connection.enqueue(text: "echo:\(text)")
                }
            }
        }
        var logger = Logger(label: "ws-test")
        logger.logLevel = .error
        return Application(
            router: router,
            server: WebSocketServer.builder(router: router, settings: hub.settings),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}
