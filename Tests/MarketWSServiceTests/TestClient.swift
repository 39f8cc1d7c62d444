import Foundation
import Synchronization
import WebSocketTestSupport

/// A WebSocket client for the tests: records every text message, sends on demand, and
/// reports how the server closed the socket.
final class TestClient: Sendable {
    private let socket: TestWebSocketClient
    private let cursor = Mutex(0)

    private init(socket: TestWebSocketClient) {
        self.socket = socket
    }

    /// Connects to `path` (with its query) on the local port.
    static func connect(port: Int, path: String = "/ws", apiKey: String? = nil, queryKey: String? = nil) -> TestClient {
        var headers: [(String, String)] = []
        if let apiKey { headers.append(("X-Api-Key", apiKey)) }
        var fullPath = path
        if let queryKey { fullPath += (path.contains("?") ? "&" : "?") + "apiKey=\(queryKey)" }
        return TestClient(socket: TestWebSocketClient(port: port, path: fullPath, headers: headers))
    }

    func send(_ text: String) {
        socket.send(text: text)
    }

    /// Ends the client (normal close) and waits for it.
    func close() async {
        await socket.close()
    }

    /// The close code the server sent (`nil` when none).
    func closeCode() async throws -> UInt16? {
        try await socket.closeCode(timeout: .seconds(20))
    }

    /// Every message so far, parsed.
    var messages: [[String: Any]] {
        socket.texts.compactMap { Self.parse($0) }
    }

    /// Raw texts so far.
    var texts: [String] { socket.texts }

    static func parse(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// The next message (after those already consumed by `next`) matching `predicate`;
    /// messages skipped on the way are consumed too.
    func next(_ timeout: Duration = .seconds(15), where predicate: ([String: Any]) -> Bool = { _ in true }) async throws -> [String: Any] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let all = socket.texts
            var index = cursor.withLock { $0 }
            var found: [String: Any]?
            while index < all.count {
                let message = Self.parse(all[index]) ?? [:]
                index += 1
                if predicate(message) {
                    found = message
                    break
                }
            }
            let consumed = index
            cursor.withLock { $0 = consumed }
            if let found { return found }
            guard ContinuousClock.now < deadline else { throw WaitTimeout(what: "message; last received \(all.suffix(3))") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The next message of `type`.
    func next(type: String, _ timeout: Duration = .seconds(15)) async throws -> [String: Any] {
        try await next(timeout) { $0["type"] as? String == type }
    }
}

struct WaitTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` until it holds.
func waitUntil(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimeout(what: what) }
        try await Task.sleep(for: .milliseconds(10))
    }
}

extension Dictionary where Key == String, Value == Any {
    var type: String? { self["type"] as? String }
    var seq: UInt64? { (self["seq"] as? NSNumber)?.uint64Value }
    var payload: [String: Any] { self["payload"] as? [String: Any] ?? [:] }
}
