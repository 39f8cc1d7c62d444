import HTTPTypes
import WebSocketTestSupport

/// A WebSocket client a test can drive step by step: connect, read the next text message with
/// a timeout, send frames, close.
final class WebSocketProbe: Sendable {
    enum Command: Sendable {
        case text(String)
        case binary([UInt8])
    }

    private let socket: TestWebSocketClient

    init(url: String, headers: HTTPFields = [:]) {
        socket = TestWebSocketClient(url: url, headers: headers.map { ($0.name.rawName, $0.value) })
    }

    /// The next text message; throws when none comes within `timeout` or the socket ends first.
    func next(timeout: Duration = .seconds(10)) async throws -> String {
        try await socket.nextText(timeout: timeout)
    }

    func send(_ command: Command) {
        switch command {
        case .text(let text): socket.send(text: text)
        case .binary(let bytes): socket.send(binary: bytes)
        }
    }

    /// Closes the socket and waits for the server to end it.
    func close() async {
        await socket.close()
    }
}

extension WebSocketProbe {
    /// Runs `body` with a connected probe and always closes it, also when `body` throws.
    static func with<T: Sendable>(url: String, headers: HTTPFields = [:], _ body: (WebSocketProbe) async throws -> T) async throws -> T {
        let probe = WebSocketProbe(url: url, headers: headers)
        do {
            let value = try await body(probe)
            await probe.close()
            return value
        } catch {
            await probe.close()
            throw error
        }
    }
}
