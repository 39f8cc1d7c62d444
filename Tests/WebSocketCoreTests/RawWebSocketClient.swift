import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A WebSocket client on a plain blocking socket with a small receive buffer, so a test can stop
/// reading (a slow consumer) and then read raw frames, including the close frame's code.
/// Everything else uses `TestWebSocketClient`, which reads eagerly.
/// Its socket calls block, so they run on GCD threads (``make(port:path:receiveBuffer:extraHeaders:)``,
/// ``next()``), never on the two threads of the Swift cooperative pool that the server under test
/// needs: blocking those from parallel tests starves the server and deadlocks the run.
final class RawWebSocketClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []

    struct Frame {
        var opcode: UInt8
        var payload: [UInt8]
        var closeCode: UInt16? {
            guard opcode == 0x8, payload.count >= 2 else { return nil }
            return UInt16(payload[0]) << 8 | UInt16(payload[1])
        }
    }

    /// Connects with a small receive buffer and completes the upgrade handshake; throws when
    /// the server does not answer 101.
    init(port: Int, path: String, receiveBuffer: Int32 = 4096, extraHeaders: String = "") throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawError("socket failed") }
        var size = receiveBuffer
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RawError("connect failed") }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n"
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        // Read the response head.
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                guard head.hasPrefix("HTTP/1.1 101") else { throw RawError("upgrade refused: \(head)") }
                return
            }
            guard try fill() else { throw RawError("closed during handshake") }
        }
    }

    deinit { close(fd) }

    /// The client's local port (to find the connection in `ss` output).
    var localPort: Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Reads the next frame; nil at end of stream.
    /// Connects and upgrades off the cooperative pool.
    static func make(port: Int, path: String, receiveBuffer: Int32 = 4096, extraHeaders: String = "") async throws -> RawWebSocketClient {
        try await offPool { try RawWebSocketClient(port: port, path: path, receiveBuffer: receiveBuffer, extraHeaders: extraHeaders) }
    }

    /// The next frame, read off the cooperative pool; nil at end of stream.
    func next() async throws -> Frame? {
        try await Self.offPool { try self.nextFrame() }
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    func nextFrame() throws -> Frame? {
        while true {
            if let frame = parse() { return frame }
            guard try fill() else { return nil }
        }
    }

    private func parse() -> Frame? {
        guard buffer.count >= 2 else { return nil }
        let opcode = buffer[0] & 0x0F
        var length = Int(buffer[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard buffer.count >= 4 else { return nil }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            offset = 4
        } else if length == 127 {
            guard buffer.count >= 10 else { return nil }
            length = (2..<10).reduce(0) { $0 << 8 | Int(buffer[$1]) }
            offset = 10
        }
        guard buffer.count >= offset + length else { return nil }
        let payload = Array(buffer[offset..<(offset + length)])
        buffer.removeFirst(offset + length)
        return Frame(opcode: opcode, payload: payload)
    }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { return false }
        if count < 0 {
            if errno == ECONNRESET { return false }
            throw RawError("recv failed: errno \(errno)")
        }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where Array(haystack[index..<(index + needle.count)]) == needle {
            return index
        }
        return nil
    }

    struct RawError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
