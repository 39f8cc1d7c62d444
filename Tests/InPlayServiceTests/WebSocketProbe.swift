import HTTPTypes
import Logging
import NIOCore
import NIOWebSocket
import WSClient

/// A WebSocket client a test can drive step by step: connect, read the next text message with
/// a timeout, send frames, close.
final class WebSocketProbe: Sendable {
    enum Command: Sendable {
        case text(String)
        case binary([UInt8])
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String { "no WebSocket message within the timeout" }
    }

    struct Closed: Error {}

    private let messages: AsyncStream<String>
    private let messageContinuation: AsyncStream<String>.Continuation
    private let commands: AsyncStream<Command>.Continuation
    private let task: Task<Void, any Error>
    private let iterator: IteratorBox

    private final class IteratorBox: @unchecked Sendable {
        // Only the test's task reads the probe: one reader at a time.
        var iterator: AsyncStream<String>.Iterator
        init(_ iterator: AsyncStream<String>.Iterator) { self.iterator = iterator }
    }

    init(url: String, headers: HTTPFields = [:]) {
        let (messages, messageContinuation) = AsyncStream.makeStream(of: String.self)
        let (commandStream, commands) = AsyncStream.makeStream(of: Command.self)
        self.messages = messages
        self.messageContinuation = messageContinuation
        self.commands = commands
        self.iterator = IteratorBox(messages.makeAsyncIterator())
        var logger = Logger(label: "ws-probe")
        logger.logLevel = .error
        var configuration = WebSocketClientConfiguration()
        configuration.additionalHeaders = headers
        configuration.maxFrameSize = 1 << 22
        self.task = Task {
            defer { messageContinuation.finish() }
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await command in commandStream {
                            switch command {
                            case .text(let text): try await outbound.write(.text(text))
                            case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                            }
                        }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            if case .text(let text) = message { messageContinuation.yield(text) }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// The next text message, or throws after `timeout`.
    func next(timeout: Duration = .seconds(10)) async throws -> String {
        let box = iterator
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var iterator = box.iterator
                let value = await iterator.next()
                box.iterator = iterator
                return value
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Timeout()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let text = first else { throw Closed() }
            return text
        }
    }

    func send(_ command: Command) {
        commands.yield(command)
    }

    /// Closes the socket and waits for the client to finish.
    func close() async {
        commands.finish()
        _ = try? await task.value
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
