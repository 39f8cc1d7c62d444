#if canImport(Glibc)
import Glibc
#endif
import BenchSupport
import CEpoll
import Foundation

/// Subscribers as plain non-blocking sockets, all read by one thread with `epoll`: what a C load
/// generator does. It costs the measured machine far less CPU than one NIO channel pipeline per
/// subscriber, so on a 2-core machine the figures describe the server more than the client.
///
/// The thread connects every subscriber (a blocking upgrade handshake each), then reads until
/// every subscriber has seen what it expects or ``stop()`` is called. Server frames are parsed
/// in place: unmasked text and binary frames are recorded, pings answered, a close ends the
/// subscriber.
final class EpollSubscriberSet: @unchecked Sendable {
    private struct Subscriber {
        let descriptor: Int32
        var tracker: SubscriberPool.Tracker
        /// Bytes of a frame cut by the end of a read.
        var partial: [UInt8] = []
        var done = false
    }

    private let pool: SubscriberPool
    private let expected: Int
    private let stopped = NSLock()
    private var stopRequested = false
    /// Signalled when the thread has recorded every subscriber and exited.
    private let exited = DispatchSemaphore(value: 0)

    init(pool: SubscriberPool, expected: Int) {
        self.pool = pool
        self.expected = expected
    }

    /// Starts the thread: it connects `count` subscribers to `url`, then reads.
    func start(url: String, count: Int) {
        let thread = Thread { [self] in
            do {
                try run(url: url, count: count)
            } catch {
                pool.recordFailure(error)
            }
            exited.signal()
        }
        thread.name = "streambench.epoll"
        thread.start()
    }

    /// Ends the reading loop and waits (at most 2 s) until every subscriber, finished or not,
    /// has added its latencies to the pool and the sockets are closed.
    func stop() {
        stopped.lock()
        stopRequested = true
        stopped.unlock()
        _ = exited.wait(timeout: .now() + 2)
    }

    private var isStopped: Bool {
        stopped.lock()
        defer { stopped.unlock() }
        return stopRequested
    }

    // MARK: The thread

    private func run(url: String, count: Int) throws {
        let target = try LoopbackURL(url, scheme: "ws")
        let request = Array((
            "GET \(target.path) HTTP/1.1\r\nHost: \(target.authority)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).utf8)

        let poller = epoll_create1(0)
        guard poller >= 0 else { throw OptionError("epoll_create1 failed: \(errno)") }
        defer { close(poller) }
        var subscribers: [Subscriber] = []
        subscribers.reserveCapacity(count)
        defer { for subscriber in subscribers { close(subscriber.descriptor) } }
        var leftovers: [[UInt8]] = []
        for _ in 0..<count {
            let (descriptor, leftover) = try Self.connect(host: target.host, port: target.port, request: request)
            subscribers.append(Subscriber(descriptor: descriptor, tracker: SubscriberPool.Tracker(expected: expected)))
            leftovers.append(leftover)
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.u64 = UInt64(subscribers.count - 1)
            guard epoll_ctl(poller, EPOLL_CTL_ADD, descriptor, &event) == 0 else { throw OptionError("epoll_ctl failed: \(errno)") }
            pool.subscriberConnected()
        }
        // Frames that arrived with the 101.
        for index in subscribers.indices where !leftovers[index].isEmpty {
            leftovers[index].withUnsafeBytes { consume($0, subscriber: &subscribers[index]) }
        }

        var remaining = subscribers.reduce(0) { $0 + ($1.done ? 0 : 1) }
        var events = [epoll_event](repeating: epoll_event(), count: 1024)
        let scratchSize = 1 << 16
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: scratchSize, alignment: 16)
        defer { scratch.deallocate() }
        while remaining > 0 && !isStopped {
            let ready = epoll_wait(poller, &events, Int32(events.count), 100)
            guard ready > 0 else { continue }
            for slot in 0..<Int(ready) {
                let index = Int(events[slot].data.u64)
                guard !subscribers[index].done else { continue }
                while true {
                    let count = read(subscribers[index].descriptor, scratch.baseAddress, scratchSize)
                    if count > 0 {
                        consume(UnsafeRawBufferPointer(rebasing: scratch[..<count]), subscriber: &subscribers[index])
                        if count < scratchSize || subscribers[index].done { break }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        finish(&subscribers[index])
                        break
                    } else if errno == EAGAIN {
                        break
                    }
                }
                if subscribers[index].done {
                    epoll_ctl(poller, EPOLL_CTL_DEL, subscribers[index].descriptor, nil)
                    remaining -= 1
                }
            }
        }
        for index in subscribers.indices { finish(&subscribers[index]) }
    }

    /// Parses every complete frame of `bytes` (after what was left of the previous read).
    private func consume(_ bytes: UnsafeRawBufferPointer, subscriber: inout Subscriber) {
        if subscriber.partial.isEmpty {
            let used = parseFrames(bytes, subscriber: &subscriber)
            if used < bytes.count { subscriber.partial = Array(bytes[used...]) }
        } else {
            subscriber.partial.append(contentsOf: bytes)
            let joined = subscriber.partial
            let used = joined.withUnsafeBytes { parseFrames($0, subscriber: &subscriber) }
            subscriber.partial = Array(joined[used...])
        }
    }

    /// Parses whole frames from the start of `bytes`; returns how many bytes they used.
    private func parseFrames(_ bytes: UnsafeRawBufferPointer, subscriber: inout Subscriber) -> Int {
        var offset = 0
        while !subscriber.done, bytes.count - offset >= 2 {
            let opcode = bytes[offset] & 0x0F
            let masked = bytes[offset + 1] & 0x80 != 0
            var length = Int(bytes[offset + 1] & 0x7F)
            var header = 2
            if length == 126 {
                guard bytes.count - offset >= 4 else { break }
                length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
                header = 4
            } else if length == 127 {
                guard bytes.count - offset >= 10 else { break }
                length = 0
                for byte in 0..<8 { length = length << 8 | Int(bytes[offset + 2 + byte]) }
                header = 10
            }
            if masked { header += 4 }
            guard bytes.count - offset >= header + length else { break }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[(offset + header)..<(offset + header + length)])
            switch opcode {
            case 0x1, 0x2:
                if subscriber.tracker.record(bytes: payload, pool: pool) { finish(&subscriber) }
            case 0x8:
                finish(&subscriber)
            case 0x9:
                Self.sendPong(payload, on: subscriber.descriptor)
            default:
                break
            }
            offset += header + length
        }
        return offset
    }

    private func finish(_ subscriber: inout Subscriber) {
        guard !subscriber.done else { return }
        subscriber.done = true
        subscriber.tracker.finish(pool: pool)
    }

    /// A masked pong carrying the ping's payload (at most 125 bytes by RFC 6455).
    private static func sendPong(_ payload: UnsafeRawBufferPointer, on descriptor: Int32) {
        var frame: [UInt8] = [0x8A, 0x80 | UInt8(min(payload.count, 125)), 0, 0, 0, 0]
        frame.append(contentsOf: payload.prefix(125))
        _ = frame.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// A connected, upgraded, non-blocking socket, and any bytes that followed the 101.
    private static func connect(host: String, port: UInt16, request: [UInt8]) throws -> (Int32, [UInt8]) {
        let descriptor = try LoopbackSocket.connect(host: host, port: port)
        guard LoopbackSocket.write(request, to: descriptor) else {
            close(descriptor)
            throw OptionError("cannot send the upgrade request")
        }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                close(descriptor)
                throw OptionError("the server closed during the upgrade")
            }
            response.append(contentsOf: chunk[..<count])
            guard let head = response.withUnsafeBytes({ HTTPResponseHead($0) }) else { continue }
            guard head.status == 101 else {
                close(descriptor)
                throw OptionError("upgrade refused with \(head.status)")
            }
            LoopbackSocket.makeNonBlocking(descriptor)
            return (descriptor, Array(response[head.length...]))
        }
    }
}
