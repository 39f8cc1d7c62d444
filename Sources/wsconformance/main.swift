import HTTPCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import WebSocketCore

/// An echo server on the suite's WebSocket stack (`TopicHub.serve`, `WebSocketServer.builder`)
/// for the Autobahn|Testsuite fuzzing client: `make conformance` runs cases 1-7, 9 and 10
/// against it. Port from `PORT` (default 9001). Limits are raised to 32 MiB so the 16 MiB
/// messages of cases 9.x fit.
///
/// Echoes go through hummingbird-websocket's writer (`directWrites: false`), the writer that
/// also sends pongs: cases 5.6-5.8 expect the pong to a ping sent between two fragments before
/// the echo of the message, and a frame written directly on the event loop may overtake a pong
/// still in that writer (legal in RFC 6455, which lets control frames interleave anywhere, but
/// Autobahn flags it). Framing, UTF-8 checks, limits and the close path are the services' own.
let environment = EnvironmentReader()
let port = (try? environment.int("PORT", default: 9001, range: 1...65535)) ?? 9001
var logger = Logger(label: "wsconformance")
logger.logLevel = .warning
let settings = WebSocketSettings(
    maxFrameBytes: 32 << 20,
    maxMessageBytes: 32 << 20,
    maxQueuedMessages: 4096,
    pingInterval: .seconds(60),
    maxConnections: 1000
)
let hub = TopicHub(endpoint: "conformance", settings: settings)
let router = Router(context: WebSocketServiceContext.self)
router.ws("/") { inbound, outbound, context in
    guard let connection = hub.open() else { return }
    try await hub.serve(
        connection, inbound: inbound, outbound: outbound, channel: context.requestContext.channel, directWrites: false, logger: context.logger
    ) { message in
        switch message {
        case .text(let text): connection.enqueue(text: text)
        case .binary(let buffer): connection.enqueue(binary: buffer)
        }
    }
}
let app = Application(
    router: router,
    server: WebSocketServer.builder(router: router, settings: settings),
    configuration: .init(address: .hostname("127.0.0.1", port: port)),
    logger: logger
)
try await ServiceRunner.run([app, hub], logger: logger)
