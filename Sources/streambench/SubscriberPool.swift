import Logging
import NIOCore
import Synchronization
import WSClient

/// N WebSocket subscribers that count deliveries (distinct sequences) and record latency.
final class SubscriberPool: Sendable {
    let connected = Atomic<Int>(0)
    let finished = Atomic<Int>(0)
    let delivered = Atomic<Int>(0)
    let duplicates = Atomic<Int>(0)
    let lastDelivery = Atomic<UInt64>(0)
    let histogram = Mutex(LatencyHistogram())
    private let failures = Mutex<[String]>([])

    var connectedCount: Int { connected.load(ordering: .relaxed) }
    var finishedCount: Int { finished.load(ordering: .relaxed) }
    var deliveredCount: Int { delivered.load(ordering: .relaxed) }
    var duplicateCount: Int { duplicates.load(ordering: .relaxed) }
    var lastDeliveryTime: UInt64 { lastDelivery.load(ordering: .relaxed) }
    var latencies: LatencyHistogram { histogram.withLock { $0 } }
    var errors: [String] { failures.withLock { $0 } }

    /// What one subscriber has seen; owned by that subscriber.
    struct Tracker {
        let expected: Int
        var seen: [Bool]
        var count = 0
        var local = LatencyHistogram()
        var finished = false

        init(expected: Int) {
            self.expected = expected
            self.seen = [Bool](repeating: false, count: expected)
        }

        /// Records a delivered frame; true when every expected message has arrived.
        mutating func record(_ data: ByteBuffer, pool: SubscriberPool) -> Bool {
            data.withUnsafeReadableBytes { record(bytes: $0, pool: pool) }
        }

        /// Records a delivered frame's payload bytes; true when every expected message has arrived.
        mutating func record(bytes: UnsafeRawBufferPointer, pool: SubscriberPool) -> Bool {
            guard let (sequence, timestamp) = BenchMessage.parse(bytes: bytes), sequence >= 0, sequence < expected else { return false }
            let now = BenchClock.now()
            if seen[sequence] {
                pool.duplicates.add(1, ordering: .relaxed)
                return false
            }
            seen[sequence] = true
            local.record(now &- timestamp)
            count += 1
            pool.delivered.add(1, ordering: .relaxed)
            pool.lastDelivery.store(now, ordering: .relaxed)
            return count == expected
        }

        mutating func finish(pool: SubscriberPool) {
            guard !finished else { return }
            finished = true
            let local = self.local
            pool.histogram.withLock { $0.merge(local) }
            pool.finished.add(1, ordering: .relaxed)
        }
    }

    func subscriberConnected() { connected.add(1, ordering: .relaxed) }
    func recordFailure(_ error: any Error) { failures.withLock { $0.append("\(error)") } }

    /// Runs one subscriber until it has seen `expected` distinct messages or is cancelled.
    func run(url: String, expected: Int, logger: Logger) async {
        do {
            try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20), logger: logger) { inbound, _, _ in
                self.connected.add(1, ordering: .relaxed)
                var tracker = Tracker(expected: expected)
                defer { tracker.finish(pool: self) }
                for try await frame in inbound where tracker.record(frame.data, pool: self) {
                    break
                }
            }
        } catch is CancellationError {
        } catch {
            failures.withLock { $0.append("\(error)") }
        }
    }
}
