import NIOCore
import NIOPosix
import Synchronization

/// A WebSocket client for tests and benchmarks, written on a plain NIO TCP channel.
///
/// It does the HTTP/1.1 upgrade and the framing (RFC 6455) itself in one channel handler, so
/// bytes that arrive in the same read as the `101` (a server that speaks first: `AUTHENTICATED`,
/// a snapshot, a `4001` close) are parsed like any others. swift-websocket's client, whose
/// upgrade goes through NIO's typed upgrade handler, intermittently never delivered such a
/// first frame on these machines, which hung the tests that waited for it.
///
/// Everything the socket does is recorded as an ``Event`` in order; the `async` helpers poll
/// that record with a deadline, so a test waiting on a server that misbehaves fails with a
/// timeout instead of hanging. Pings are answered; a close from the server is answered and
/// recorded with its code.
public final class TestWebSocketClient: Sendable {
    /// What happened on the socket, in order.
    public enum Event: Sendable, Equatable {
        /// The server answered `101 Switching Protocols`.
        case opened
        /// A complete text message.
        case text(String)
        /// A complete binary message.
        case binary([UInt8])
        /// The server refused the upgrade with this response.
        case refused(UpgradeRefusal)
        /// The socket ended: with the server's close code, or `nil` when it ended without a
        /// close frame (1006 in RFC 6455's words).
        case closed(code: UInt16?, reason: String)
        /// Connecting failed or the stream broke.
        case failed(String)
    }

    /// A response other than `101` to the upgrade request.
    public struct UpgradeRefusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The status line and header lines, without the blank line.
        public var head: String
        /// The response body.
        public var body: [UInt8]
        /// Whether the server closed the connection after the response (no socket stays open).
        public var closedByServer = false

        /// The status code from the status line (0 if unreadable).
        public var status: Int {
            let parts = head.split(separator: " ", maxSplits: 2)
            return parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The value of header `name` (case-insensitive), if present.
        public func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                    return String(parts[1].drop { $0 == " " })
                }
            }
            return nil
        }

        public var description: String { "upgrade refused: \(head)\r\n\r\n\(bodyText)" }
    }

    /// A wait that ran out of time, or a socket that ended while a message was awaited.
    public struct WaitFailure: Error, CustomStringConvertible {
        public var description: String
    }

    private let log = Mutex<[Event]>([])
    /// Frames sent and not yet written, in order; the channel takes them once open.
    private let outbox = Mutex<[ByteBuffer]>([])
    private let link = Mutex<Link?>(nil)
    /// Set when the TCP connection is gone.
    private let disconnected = Mutex(false)
    /// Index into `log` of the next event ``nextText(timeout:)`` looks at.
    private let readCursor = Mutex(0)

    /// The channel and its handler, once the TCP connection exists.
    private struct Link: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<FrameHandler>
    }

    /// Called on the event loop with each complete message: its opcode (1 text, 2 binary) and bytes.
    public typealias MessageHandler = @Sendable (_ opcode: UInt8, _ payload: [UInt8]) -> Void

    /// Starts connecting to `ws://127.0.0.1:{port}{path}` (the path may carry a query) with the
    /// extra request `headers`. Returns at once; use ``waitUntilOpen(timeout:)`` or the other
    /// waits. Text sent before the upgrade completes is queued and sent right after it.
    ///
    /// Benchmarks pass `onMessage` (called as each message arrives) and `recordsMessages: false`
    /// so that only the socket's life is recorded, not every message.
    ///
    /// A slow consumer: `pausesReadingAfterUpgrade` stops reading once the upgrade completed
    /// (with a small `receiveBufferBytes`, the server's writes back up quickly) until
    /// ``resumeReading()``.
    public init(
        host: String = "127.0.0.1", port: Int, path: String, headers: [(String, String)] = [],
        recordsMessages: Bool = true, onMessage: MessageHandler? = nil,
        receiveBufferBytes: Int32? = nil, pausesReadingAfterUpgrade: Bool = false
    ) {
        let request = Self.upgradeRequest(host: host, port: port, path: path, headers: headers)
        let recorder = Recorder(client: self, recordsMessages: recordsMessages, onMessage: onMessage)
        let client = self
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let receiveBufferBytes {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferBytes))
        }
        bootstrap = bootstrap
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = FrameHandler(request: request, recorder: recorder, pausesReadingAfterUpgrade: pausesReadingAfterUpgrade)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    let bound = Link(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
                    client.link.withLock { $0 = bound }
                }
            }
        bootstrap.connect(host: host, port: port).whenFailure { error in
            recorder.record(.failed("connect failed: \(error)"))
        }
    }

    /// Parses `ws://host:port/path?query` (tests pass such URLs around).
    public convenience init(url: String, headers: [(String, String)] = []) {
        var rest = Substring(url)
        if rest.hasPrefix("ws://") { rest = rest.dropFirst(5) }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        let parts = authority.split(separator: ":")
        let host = parts.first.map(String.init) ?? "127.0.0.1"
        let port = parts.count > 1 ? Int(parts[1]) ?? 80 : 80
        self.init(host: host, port: port, path: path, headers: headers)
    }

    // MARK: Reading the record

    /// Every event so far.
    public var events: [Event] { log.withLock { $0 } }

    /// Every text message so far.
    public var texts: [String] {
        log.withLock { $0.compactMap { if case .text(let text) = $0 { text } else { nil } } }
    }

    /// Whether the socket ended (closed, refused or failed).
    public var isFinished: Bool { log.withLock { $0.contains(where: Self.isEnd) } }

    /// Whether the upgrade completed.
    public var isOpen: Bool { log.withLock { $0.contains(.opened) } }

    /// The event that ended the socket, if it ended.
    public var end: Event? { log.withLock { $0.first(where: Self.isEnd) } }

    private static func isEnd(_ event: Event) -> Bool {
        switch event {
        case .closed, .refused, .failed: true
        default: false
        }
    }

    fileprivate func record(_ event: Event) {
        log.withLock { log in
            // One end only: a socket that closed is not also failed.
            if Self.isEnd(event), log.contains(where: Self.isEnd) { return }
            log.append(event)
        }
    }

    // MARK: Waiting

    /// Polls `condition` every few milliseconds until it holds; throws ``WaitFailure`` after `timeout`.
    public func wait(for what: String, timeout: Duration = .seconds(10), _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while try !condition() {
            guard ContinuousClock.now < deadline else {
                throw WaitFailure(description: "timed out after \(timeout) waiting for \(what); last events: \(events.suffix(3))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until the upgrade completed; throws the ``UpgradeRefusal`` when the server refused it.
    public func waitUntilOpen(timeout: Duration = .seconds(10)) async throws {
        try await wait(for: "the upgrade", timeout: timeout) { isOpen || isFinished }
        if isOpen { return }
        switch end {
        case .refused(let refusal): throw refusal
        case .failed(let reason): throw WaitFailure(description: reason)
        default: throw WaitFailure(description: "closed before the upgrade completed")
        }
    }

    /// Waits until the socket ended and returns the server's close code (`nil`: no close frame).
    /// Throws when the socket was refused or failed instead.
    public func closeCode(timeout: Duration = .seconds(10)) async throws -> UInt16? {
        try await wait(for: "the socket to close", timeout: timeout) { isFinished }
        switch end {
        case .closed(let code, _): return code
        case .refused(let refusal): throw refusal
        case .failed(let reason): throw WaitFailure(description: reason)
        default: return nil
        }
    }

    /// The next text message after those already taken by this method. Throws when none comes
    /// within `timeout` or the socket ends first.
    public func nextText(timeout: Duration = .seconds(10)) async throws -> String {
        var found: String?
        try await wait(for: "a text message", timeout: timeout) {
            let (text, ended) = takeText()
            found = text
            if text == nil, ended { throw WaitFailure(description: "the socket ended (\(end.map { "\($0)" } ?? "?")) while a message was awaited") }
            return text != nil
        }
        return found!
    }

    /// Takes the next text event after the cursor; also tells whether the socket has ended.
    private func takeText() -> (String?, Bool) {
        let all = events
        return readCursor.withLock { cursor in
            while cursor < all.count {
                defer { cursor += 1 }
                if case .text(let text) = all[cursor] { return (text, false) }
            }
            return (nil, all.contains(where: Self.isEnd))
        }
    }

    /// Takes the next text message not yet taken, if one arrived (the cursor of ``nextText(timeout:)``).
    public func takeNextText() -> String? {
        takeText().0
    }

    /// Text messages not yet taken by ``nextText(timeout:)``.
    public var untakenTexts: [String] {
        let all = events
        let start = readCursor.withLock { $0 }
        return all[min(start, all.count)...].compactMap { if case .text(let text) = $0 { text } else { nil } }
    }

    // MARK: Writing

    /// Sends a text message (queued until the upgrade completes).
    public func send(text: String) {
        send(opcode: 0x1, payload: Array(text.utf8))
    }

    /// Sends a binary message.
    public func send(binary: [UInt8]) {
        send(opcode: 0x2, payload: binary)
    }

    /// Sends one frame as given (for protocol tests: bad opcodes, oversized frames...).
    public func send(opcode: UInt8, payload: [UInt8], fin: Bool = true) {
        let frame = Self.encode(opcode: opcode, payload: payload, fin: fin)
        outbox.withLock { $0.append(frame) }
        if let link = link.withLock({ $0 }) {
            link.channel.eventLoop.execute { link.handler.value.writeOutbox() }
        }
        // Not connected yet: the handler writes the outbox when the upgrade completes.
    }

    fileprivate func markDisconnected() {
        disconnected.withLock { $0 = true }
    }

    fileprivate func takeOutbox() -> [ByteBuffer] {
        outbox.withLock { frames in
            defer { frames.removeAll() }
            return frames
        }
    }

    /// A client frame: masked, as RFC 6455 requires.
    fileprivate static func encode(opcode: UInt8, payload: [UInt8], fin: Bool) -> ByteBuffer {
        var frame = ByteBuffer()
        frame.reserveCapacity(payload.count + 14)
        frame.writeInteger((fin ? 0x80 : 0) | opcode)
        if payload.count < 126 {
            frame.writeInteger(UInt8(0x80 | payload.count))
        } else if payload.count <= 0xFFFF {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(payload.count))
        } else {
            frame.writeInteger(UInt8(0x80 | 127))
            frame.writeInteger(UInt64(payload.count))
        }
        let key: [UInt8] = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame.writeBytes(key)
        frame.writeBytes(payload.enumerated().map { $0.element ^ key[$0.offset % 4] })
        return frame
    }

    /// Starts the closing handshake with `code`, waits up to `timeout` for the server to close
    /// the connection, then closes it regardless.
    public func close(code: UInt16 = 1000, timeout: Duration = .seconds(5)) async {
        withLink { handler in handler.startClose(code: code) }
        // Until the server drops the TCP connection, so frames after its close frame are seen too.
        try? await wait(for: "the server to end the connection", timeout: timeout) {
            disconnected.withLock { $0 } || (isFinished && link.withLock({ $0 }) == nil)
        }
        if let channel = link.withLock({ $0?.channel }) {
            try? await channel.close()
        }
        record(.closed(code: nil, reason: "closed by the client"))
    }

    /// Reads again after `pausesReadingAfterUpgrade`.
    public func resumeReading() async throws {
        guard let channel = link.withLock({ $0?.channel }) else { return }
        try await channel.setOption(.autoRead, value: true).get()
    }

    /// Drops the TCP connection without a closing handshake.
    public func disconnect() async {
        if let channel = link.withLock({ $0?.channel }) {
            try? await channel.close()
        }
        try? await wait(for: "the connection to drop") { isFinished }
    }

    /// Runs `body` with the handler on its event loop (waits for the connection to exist).
    private func withLink(_ body: @escaping @Sendable (FrameHandler) -> Void) {
        if let link = link.withLock({ $0 }) {
            link.channel.eventLoop.execute { body(link.handler.value) }
            return
        }
        // Not connected yet: the connection is being made on the singleton group; retry shortly.
        let client = self
        MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .milliseconds(2)) {
            if client.isFinished && client.link.withLock({ $0 }) == nil { return }
            client.withLink(body)
        }
    }

    private static func upgradeRequest(host: String, port: Int, path: String, headers: [(String, String)]) -> String {
        var request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        return request + "\r\n"
    }
}

/// Lets the channel handler record events without owning the client.
private struct Recorder: Sendable {
    weak var client: TestWebSocketClient?
    let recordsMessages: Bool
    let onMessage: TestWebSocketClient.MessageHandler?

    init(client: TestWebSocketClient, recordsMessages: Bool, onMessage: TestWebSocketClient.MessageHandler?) {
        self.client = client
        self.recordsMessages = recordsMessages
        self.onMessage = onMessage
    }

    func deliver(opcode: UInt8, payload: [UInt8]) {
        onMessage?(opcode, payload)
        guard recordsMessages else { return }
        if opcode == 0x1 {
            record(.text(String(decoding: payload, as: UTF8.self)))
        } else {
            record(.binary(payload))
        }
    }

    func record(_ event: TestWebSocketClient.Event) { client?.record(event) }

    func takeOutbox() -> [ByteBuffer] { client?.takeOutbox() ?? [] }

    func markDisconnected() { client?.markDisconnected() }
}

/// The client's whole protocol on one channel: the upgrade request and response, then frames.
/// Runs on its channel's event loop only.
private final class FrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case handshaking
        case readingRefusal(head: String, length: Int?)
        /// The refusal is complete; waiting (briefly) for the server to close the connection.
        case refusedAwaitingClose(TestWebSocketClient.UpgradeRefusal)
        case open
        case closing
        /// The server's close frame arrived. Frames after it (a protocol violation) are still
        /// parsed and recorded after the `.closed` event, so tests can catch them.
        case closeReceived
        case ended
    }

    private let request: String
    private let recorder: Recorder
    private let pausesReadingAfterUpgrade: Bool
    private var state = State.handshaking
    private var buffer = ByteBuffer()
    private var context: ChannelHandlerContext?
    /// A fragmented message being assembled: its opcode and bytes so far.
    private var fragments: (opcode: UInt8, bytes: [UInt8])?
    private var sentClose = false

    init(request: String, recorder: Recorder, pausesReadingAfterUpgrade: Bool) {
        self.request = request
        self.recorder = recorder
        self.pausesReadingAfterUpgrade = pausesReadingAfterUpgrade
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        process(context: context)
        if buffer.readerIndex > 65_536 { buffer.discardReadBytes() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .handshaking:
            recorder.record(.failed("the connection closed during the upgrade"))
        case .readingRefusal(let head, _):
            recorder.record(.refused(.init(head: head, body: Array(buffer.readableBytesView), closedByServer: true)))
        case .refusedAwaitingClose(var refusal):
            refusal.closedByServer = true
            recorder.record(.refused(refusal))
        case .open, .closing, .closeReceived, .ended:
            recorder.record(.closed(code: nil, reason: ""))
        }
        state = .ended
        recorder.markDisconnected()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        recorder.record(.failed("\(error)"))
        state = .ended
        context.close(promise: nil)
    }

    // MARK: Outbound (called on the event loop)

    /// Writes the frames the client queued, in order, once the socket is open.
    func writeOutbox() {
        switch state {
        case .handshaking:
            return
        case .open:
            guard let context else { return }
            for frame in recorder.takeOutbox() { context.write(wrapOutboundOut(frame), promise: nil) }
            context.flush()
        case .readingRefusal, .refusedAwaitingClose, .closing, .closeReceived, .ended:
            _ = recorder.takeOutbox()
        }
    }

    func startClose(code: UInt16) {
        writeOutbox()
        guard case .open = state, !sentClose else {
            if case .handshaking = state { context?.close(promise: nil) }
            return
        }
        sentClose = true
        state = .closing
        context?.writeAndFlush(wrapOutboundOut(TestWebSocketClient.encode(opcode: 0x8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)], fin: true)), promise: nil)
    }

    // MARK: Inbound

    private func process(context: ChannelHandlerContext) {
        while true {
            switch state {
            case .handshaking:
                guard readResponseHead(context: context) else { return }
            case .readingRefusal(let head, let length):
                if let length, buffer.readableBytes >= length {
                    let refusal = TestWebSocketClient.UpgradeRefusal(head: head, body: buffer.readBytes(length: length) ?? [])
                    state = .refusedAwaitingClose(refusal)
                    // A server that keeps the connection open after refusing is recorded as such.
                    let recorder = self.recorder
                    let channel = context.channel
                    context.eventLoop.scheduleTask(in: .seconds(2)) {
                        recorder.record(.refused(refusal))
                        channel.close(promise: nil)
                    }
                }
                return
            case .refusedAwaitingClose:
                buffer.clear()
                return
            case .open, .closing, .closeReceived:
                guard let frame = readFrame() else { return }
                handle(frame, context: context)
            case .ended:
                buffer.clear()
                return
            }
        }
    }

    /// Reads the response head when it is complete; returns whether it did.
    private func readResponseHead(context: ChannelHandlerContext) -> Bool {
        let bytes = buffer.readableBytesView
        guard let end = bytes.firstRange(of: [13, 10, 13, 10]) else { return false }
        let headLength = end.lowerBound - bytes.startIndex
        let head = buffer.readString(length: headLength) ?? ""
        buffer.moveReaderIndex(forwardBy: 4)
        if head.hasPrefix("HTTP/1.1 101") {
            state = .open
            if pausesReadingAfterUpgrade {
                context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
            }
            recorder.record(.opened)
            writeOutbox()
        } else {
            let refusal = TestWebSocketClient.UpgradeRefusal(head: head, body: [])
            state = .readingRefusal(head: head, length: refusal.header("content-length").flatMap { Int($0) })
        }
        return true
    }

    private struct Frame {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]
    }

    /// Reads one whole frame from the buffer, if there is one (server frames are unmasked).
    private func readFrame() -> Frame? {
        let view = buffer.readableBytesView
        guard view.count >= 2 else { return nil }
        let first = view[view.startIndex], second = view[view.startIndex + 1]
        var length = Int(second & 0x7F)
        var offset = 2
        if length == 126 {
            guard view.count >= 4 else { return nil }
            length = Int(view[view.startIndex + 2]) << 8 | Int(view[view.startIndex + 3])
            offset = 4
        } else if length == 127 {
            guard view.count >= 10 else { return nil }
            length = (2..<10).reduce(0) { $0 << 8 | Int(view[view.startIndex + $1]) }
            offset = 10
        }
        let masked = second & 0x80 != 0
        let maskOffset = offset
        if masked { offset += 4 }
        guard view.count >= offset + length else { return nil }
        buffer.moveReaderIndex(forwardBy: offset)
        var payload = buffer.readBytes(length: length) ?? []
        if masked {
            let key = Array(view[(view.startIndex + maskOffset)..<(view.startIndex + maskOffset + 4)])
            for index in payload.indices { payload[index] ^= key[index % 4] }
        }
        return Frame(fin: first & 0x80 != 0, opcode: first & 0x0F, payload: payload)
    }

    private func handle(_ frame: Frame, context: ChannelHandlerContext) {
        switch frame.opcode {
        case 0x0:
            guard var message = fragments else { return fail("continuation frame without a message", context: context) }
            message.bytes += frame.payload
            fragments = message
            if frame.fin {
                fragments = nil
                deliver(opcode: message.opcode, bytes: message.bytes)
            }
        case 0x1, 0x2:
            guard fragments == nil else { return fail("a data frame inside a fragmented message", context: context) }
            if frame.fin {
                deliver(opcode: frame.opcode, bytes: frame.payload)
            } else {
                fragments = (frame.opcode, frame.payload)
            }
        case 0x8:
            if case .closeReceived = state { return }
            let code = frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : nil
            let reason = frame.payload.count > 2 ? String(decoding: frame.payload[2...], as: UTF8.self) : ""
            recorder.record(.closed(code: code, reason: reason))
            if !sentClose {
                sentClose = true
                context.writeAndFlush(wrapOutboundOut(TestWebSocketClient.encode(opcode: 0x8, payload: Array(frame.payload.prefix(2)), fin: true)), promise: nil)
            }
            state = .closeReceived
            // The server closes the TCP connection; do it ourselves if it does not soon.
            let channel = context.channel
            context.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
        case 0x9:
            if case .open = state {
                context.writeAndFlush(wrapOutboundOut(TestWebSocketClient.encode(opcode: 0xA, payload: frame.payload, fin: true)), promise: nil)
            }
        case 0xA:
            break
        default:
            fail("unknown opcode \(frame.opcode)", context: context)
        }
    }

    private func deliver(opcode: UInt8, bytes: [UInt8]) {
        recorder.deliver(opcode: opcode, payload: bytes)
    }

    private func fail(_ reason: String, context: ChannelHandlerContext) {
        recorder.record(.failed(reason))
        state = .ended
        context.close(promise: nil)
    }
}
