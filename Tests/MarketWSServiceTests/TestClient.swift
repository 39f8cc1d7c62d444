import Foundation
import HTTPTypes
import Logging
import NIOWebSocket
import Synchronization
import WSClient
import WSCore

/// A WebSocket client for the tests: records every text message, sends on demand, and
/// reports how the server closed the socket.
final class TestClient: Sendable {
    static let logger: Logger = {
        var logger = Logger(label: "ws-test-client")
        logger.logLevel = .error
        return logger
    }()

    private final class Inbox: Sendable {
        let texts = Mutex<[String]>([])
    }

    private let inbox = Inbox()
    private let cursor = Mutex(0)
    private let outgoing: AsyncStream<String>.Continuation
    private let task: Task<WebSocketCloseFrame?, any Error>

    private init(url: String, headers: HTTPFields) {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        outgoing = continuation
        let inbox = self.inbox
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders = headers
        configuration.maxFrameSize = 1 << 22
        let settings = configuration
        task = Task {
            try await WebSocketClient.connect(url: url, configuration: settings, logger: Self.logger) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await text in stream {
                            try await outbound.write(.text(text))
                        }
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            if case .text(let text) = message {
                                inbox.texts.withLock { $0.append(text) }
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// Connects to `path` (with its query) on the local port.
    static func connect(port: Int, path: String = "/ws", apiKey: String? = nil, queryKey: String? = nil) -> TestClient {
        var headers = HTTPFields()
        if let apiKey { headers[HTTPField.Name("X-Api-Key")!] = apiKey }
        var url = "ws://127.0.0.1:\(port)\(path)"
        if let queryKey { url += (path.contains("?") ? "&" : "?") + "apiKey=\(queryKey)" }
        return TestClient(url: url, headers: headers)
    }

    func send(_ text: String) {
        outgoing.yield(text)
    }

    /// Ends the client (normal close) and waits for it.
    func close() async {
        outgoing.finish()
        _ = try? await task.value
    }

    /// The close code the server sent (`nil` when none).
    func closeCode() async throws -> UInt16? {
        guard let frame = try await task.value else { return nil }
        switch frame.closeCode {
        case .unknown(let code): return code
        default: return nil
        }
    }

    /// Every message so far, parsed.
    var messages: [[String: Any]] {
        inbox.texts.withLock { $0 }.compactMap { Self.parse($0) }
    }

    /// Raw texts so far.
    var texts: [String] { inbox.texts.withLock { $0 } }

    static func parse(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// The next message (after those already consumed by `next`) matching `predicate`;
    /// messages skipped on the way are consumed too.
    func next(_ timeout: Duration = .seconds(15), where predicate: ([String: Any]) -> Bool = { _ in true }) async throws -> [String: Any] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let all = inbox.texts.withLock { $0 }
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
