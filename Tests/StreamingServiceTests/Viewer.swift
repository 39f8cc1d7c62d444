import Foundation
import Testing
import WebSocketTestSupport

/// A viewer's WebSocket over a real socket: records every text message and how the socket
/// ended, so a test can wait for either.
final class Viewer: Sendable {
    private let socket: TestWebSocketClient

    private init(socket: TestWebSocketClient) {
        self.socket = socket
    }

    /// Connects and waits until the socket is open; throws when the upgrade is refused.
    static func connect(port: Int, path: String, customerId: String? = nil) async throws -> Viewer {
        var headers: [(String, String)] = []
        if let customerId { headers.append(("X-Customer-Id", customerId)) }
        let socket = TestWebSocketClient(port: port, path: path, headers: headers)
        do {
            try await socket.waitUntilOpen()
        } catch {
            throw TestFailure("upgrade failed: \(error)")
        }
        return Viewer(socket: socket)
    }

    /// Sends a text message.
    func send(_ text: String) async throws {
        guard socket.isOpen, !socket.isFinished else { throw TestFailure("socket not open") }
        socket.send(text: text)
    }

    /// The next message (JSON object) after the ones already taken.
    func next(timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        var found: String?
        try await eventually("a message", timeout: timeout) {
            found = takeMessage()
            if found != nil { return true }
            if isClosed { throw TestFailure("socket closed while waiting for a message") }
            return false
        }
        guard let text = found, let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(found ?? "nil")")
        }
        return object
    }

    /// The next message as received (text).
    func nextRaw(timeout: Duration = .seconds(10)) async throws -> String? {
        var found: String?
        try await eventually("a message", timeout: timeout) {
            found = takeMessage()
            return found != nil
        }
        return found
    }

    /// The next message whose `payload.type` is `type`, skipping others.
    func next(type: String, timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        while true {
            let message = try await next(timeout: timeout)
            if (message["payload"] as? [String: Any])?["type"] as? String == type { return message }
        }
    }

    /// The next text message not yet taken, if one arrived.
    private func takeMessage() -> String? {
        socket.takeNextText()
    }

    /// Messages not taken yet.
    var pendingMessages: [String] { socket.untakenTexts }

    var isClosed: Bool { socket.isFinished }

    /// Waits for the server to close the socket and returns the close code.
    func closeCode(timeout: Duration = .seconds(10)) async throws -> UInt16? {
        try await socket.closeCode(timeout: timeout)
    }

    /// Closes the socket from the client side.
    func close() async {
        await socket.close()
    }
}

extension Dictionary where Key == String, Value == Any {
    /// `payload.type`.
    var payloadType: String? { (self["payload"] as? [String: Any])?["type"] as? String }
    /// `payload` as a dictionary.
    var payload: [String: Any] { (self["payload"] as? [String: Any]) ?? [:] }
    /// `seq`.
    var seq: UInt64? { (self["seq"] as? NSNumber)?.uint64Value }
}
