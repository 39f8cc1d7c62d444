#if canImport(Glibc)
import Glibc
#endif
import BenchSupport
import CEpoll
import Foundation

/// An HTTP/1.1 load generator in the manner of `wrk`: keep-alive connections on plain
/// non-blocking sockets, all driven by one thread with `epoll`, one request in flight per
/// connection. On a 2-core machine it leaves the server far more of the CPU than an
/// AsyncHTTPClient loop does, which is what the reference setup (a C load generator)
/// assumes.
final class EpollHTTPLoad: @unchecked Sendable {
    /// What one run measured.
    struct Outcome {
        var seconds: Double
        var latencies: [Int64]
        var failures: Int
        var completed: Int
    }

    private struct Connection {
        let descriptor: Int32
        var received: [UInt8] = []
        /// Request in flight: its index and the instant its latency counts from.
        var inFlight: (index: Int, since: UInt64)?
    }

    private let host: String
    private let port: UInt16
    private let connectionCount: Int
    private let request: @Sendable (Int) -> [UInt8]
    private let expectedStatus: Int

    /// `request(i)` gives the bytes of request `i`; a response with another status than
    /// `expectedStatus` counts as a failure.
    init(host: String, port: UInt16, connections: Int, expectedStatus: Int, request: @escaping @Sendable (Int) -> [UInt8]) {
        self.host = host
        self.port = port
        self.connectionCount = connections
        self.expectedStatus = expectedStatus
        self.request = request
    }

    /// `total` requests, each connection sending its next one as soon as its answer arrives.
    /// Latency is from send to the end of the answer.
    func closedLoop(total: Int, firstIndex: Int = 0) async throws -> Outcome {
        try await runOnThread { try self.run(total: total, firstIndex: firstIndex, interval: nil) }
    }

    /// `rate` requests a second for `seconds`; latency counts from each request's scheduled
    /// send time, so a server that falls behind is charged for the wait (no coordinated
    /// omission).
    func paced(rate: Int, seconds: Int, firstIndex: Int) async throws -> Outcome {
        try await runOnThread { try self.run(total: rate * seconds, firstIndex: firstIndex, interval: 1_000_000_000 / UInt64(rate)) }
    }

    private func runOnThread(_ body: @escaping @Sendable () throws -> Outcome) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "orderbench.epoll"
            thread.start()
        }
    }

    private static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    // MARK: The loop

    private func run(total: Int, firstIndex: Int, interval: UInt64?) throws -> Outcome {
        let poller = epoll_create1(0)
        guard poller >= 0 else { throw OrderBenchError("epoll_create1 failed: \(errno)") }
        defer { close(poller) }
        var connections: [Connection] = []
        defer { for connection in connections { close(connection.descriptor) } }
        for index in 0..<connectionCount {
            let descriptor = try connect()
            connections.append(Connection(descriptor: descriptor))
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.u64 = UInt64(index)
            guard epoll_ctl(poller, EPOLL_CTL_ADD, descriptor, &event) == 0 else { throw OrderBenchError("epoll_ctl failed: \(errno)") }
        }
        // Every request is built before the clock starts, as wrk does: the measured time is
        // the server's, not the client's string formatting.
        let requests = (0..<total).map { request(firstIndex + $0) }
        var latencies: [Int64] = []
        latencies.reserveCapacity(total)
        var failures = 0
        var nextRequest = 0
        var completed = 0
        var idle = Array((0..<connectionCount).reversed())
        let start = Self.now()
        /// Sends every request that is due on an idle connection.
        func sendDue() throws {
            let now = Self.now()
            while nextRequest < total, let connection = idle.last {
                let due = interval.map { start + UInt64(nextRequest) * $0 } ?? now
                guard due <= now else { break }
                idle.removeLast()
                let bytes = requests[nextRequest]
                let written = bytes.withUnsafeBytes { write(connections[connection].descriptor, $0.baseAddress, $0.count) }
                guard written == bytes.count else { throw OrderBenchError("short write (\(written) of \(bytes.count)): \(errno)") }
                connections[connection].inFlight = (nextRequest, interval == nil ? now : due)
                nextRequest += 1
            }
        }
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        try sendDue()
        while completed < total {
            var timeout: Int32 = 1000
            if let interval, nextRequest < total, !idle.isEmpty {
                let due = start + UInt64(nextRequest) * interval
                let now = Self.now()
                // Rounded up: a sub-millisecond wait must not become a busy loop (latency is
                // charged from the due time anyway).
                timeout = due <= now ? 0 : Int32(min(1000, (due - now + 999_999) / 1_000_000))
            }
            let ready = epoll_wait(poller, &events, Int32(events.count), timeout)
            if ready < 0 && errno != EINTR { throw OrderBenchError("epoll_wait failed: \(errno)") }
            for slot in 0..<max(0, Int(ready)) {
                let index = Int(events[slot].data.u64)
                let count = scratch.withUnsafeMutableBytes { read(connections[index].descriptor, $0.baseAddress, $0.count) }
                if count <= 0 {
                    if count < 0 && errno == EAGAIN { continue }
                    throw OrderBenchError("the server closed a connection (\(errno))")
                }
                connections[index].received.append(contentsOf: scratch[..<count])
                var consumed = 0
                while let (status, length) = connections[index].received.withUnsafeBytes({
                    HTTPResponseHead.completeResponse(UnsafeRawBufferPointer(rebasing: $0[consumed...]))
                }) {
                    consumed += length
                    guard let inFlight = connections[index].inFlight else { throw OrderBenchError("an answer without a request") }
                    latencies.append(Int64(Self.now() - inFlight.since))
                    if status != expectedStatus { failures += 1 }
                    connections[index].inFlight = nil
                    completed += 1
                    idle.append(index)
                }
                if consumed == connections[index].received.count {
                    connections[index].received.removeAll(keepingCapacity: true)
                } else if consumed > 0 {
                    connections[index].received.removeFirst(consumed)
                }
            }
            try sendDue()
        }
        return Outcome(seconds: Double(Self.now() - start) / 1e9, latencies: latencies, failures: failures, completed: completed)
    }

    private func connect() throws -> Int32 {
        try LoopbackSocket.connect(host: host, port: port, nonBlocking: true)
    }
}

/// A failure of the benchmark itself.
struct OrderBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
