import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import Testing
import WSClient

/// A viewer's WebSocket over a real socket: records every text message and how the socket
/// ended, so a test can wait for either.
final class Viewer: Sendable {
    enum Event: Sendable {
        case opened
        case message(String)
        case closed(UInt16?)
        case failed(String)
    }

    private let events = Mutex<[Event]>([])
    private let cursor = Mutex<Int>(0)
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Connects and waits until the socket is open; throws when the upgrade is refused.
    static func connect(port: Int, path: String, customerId: String? = nil) async throws -> Viewer {
        let viewer = Viewer()
        var headers = HTTPFields()
        if let customerId { headers[HTTPField.Name("X-Customer-Id")!] = customerId }
        var logger = Logger(label: "viewer")
        logger.logLevel = .critical
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: headers)
        let task = Task {
            do {
                let close = try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)\(path)", configuration: configuration, logger: logger) { inbound, outbound, _ in
                    viewer.writer.withLock { $0 = outbound }
                    viewer.record(.opened)
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { viewer.record(.message(text)) }
                    }
                }
                viewer.record(.closed(close.map { UInt16(webSocketErrorCode: $0.closeCode) }))
            } catch {
                viewer.record(.failed("\(error)"))
            }
        }
        viewer.task.withLock { $0 = task }
        try await eventually("socket open") {
            viewer.events.withLock { events in
                events.contains { if case .opened = $0 { true } else if case .failed = $0 { true } else { false } }
            }
        }
        if let failure = viewer.events.withLock({ $0.compactMap { if case .failed(let text) = $0 { text } else { nil } }.first }) {
            throw TestFailure("upgrade failed: \(failure)")
        }
        return viewer
    }

    private func record(_ event: Event) { events.withLock { $0.append(event) } }

    /// Sends a text message.
    func send(_ text: String) async throws {
        guard let writer = writer.withLock({ $0 }) else { throw TestFailure("socket not open") }
        try await writer.write(.text(text))
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

    private func takeMessage() -> String? {
        let all = events.withLock { $0 }
        return cursor.withLock { cursor in
            while cursor < all.count {
                defer { cursor += 1 }
                if case .message(let text) = all[cursor] { return text }
            }
            return nil
        }
    }

    /// Messages not taken yet.
    var pendingMessages: [String] {
        let all = events.withLock { $0 }
        let start = cursor.withLock { $0 }
        return all[min(start, all.count)...].compactMap { if case .message(let text) = $0 { text } else { nil } }
    }

    var isClosed: Bool {
        events.withLock { $0.contains { if case .closed = $0 { true } else { false } } }
    }

    /// Waits for the server to close the socket and returns the close code.
    func closeCode(timeout: Duration = .seconds(10)) async throws -> UInt16? {
        try await eventually("socket closed", timeout: timeout) { isClosed }
        return events.withLock { events in
            for event in events { if case .closed(let code) = event { return code } }
            return nil
        }
    }

    /// Closes the socket from the client side.
    func close() async {
        if let writer = writer.withLock({ $0 }) { try? await writer.close(.normalClosure, reason: nil) }
        let task = task.withLock { $0 }
        _ = await task?.value
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
