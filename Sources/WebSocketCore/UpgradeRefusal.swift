import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// What the router answered to one connection's WebSocket upgrade request, kept so that a
/// refused upgrade can be answered with it (hummingbird-websocket alone would send an empty 400).
final class UpgradeRefusal: Sendable {
    /// The HTTP/1.1 head (with `Connection: close` and the body's length) and the body to send.
    struct Recorded: Sendable {
        var head: HTTPResponseHead
        var body: ByteBuffer
    }

    private let recorded = NIOLockedValueBox<Recorded?>(nil)

    /// The router's answer, once recorded.
    var response: Recorded? { recorded.withLockedValue { $0 } }

    /// Collects `response`'s body and keeps it with a head that closes the connection.
    func record(_ response: Response) async throws {
        let collector = BodyCollector()
        try await response.body.write(collector)
        var headers = HTTPHeaders()
        for field in response.headers where field.name != .contentLength && field.name != .transferEncoding && field.name != .connection {
            headers.add(name: field.name.rawName, value: field.value)
        }
        headers.add(name: "Content-Length", value: String(collector.body.readableBytes))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(
            version: .http1_1,
            status: HTTPResponseStatus(statusCode: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headers: headers
        )
        let body = collector.body
        recorded.withLockedValue { $0 = Recorded(head: head, body: body) }
    }

    /// Gathers a response body in memory (error bodies are small).
    private final class BodyCollector: ResponseBodyWriter {
        var body = ByteBuffer()

        func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            body.writeBuffer(&buffer)
        }

        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
