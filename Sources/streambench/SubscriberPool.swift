import Logging
import NIOCore
import Synchronization
import WSClient

/// N WebSocket subscribers that count deliveries (distinct sequences) and record latency.
final class SubscriberPool: Sendable {
    private let connected = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let delivered = Atomic<Int>(0)
    private let duplicates = Atomic<Int>(0)
    private let lastDelivery = Atomic<UInt64>(0)
    private let histogram = Mutex(LatencyHistogram())
    private let failures = Mutex<[String]>([])

    var connectedCount: Int { connected.load(ordering: .relaxed) }
    var finishedCount: Int { finished.load(ordering: .relaxed) }
    var deliveredCount: Int { delivered.load(ordering: .relaxed) }
    var duplicateCount: Int { duplicates.load(ordering: .relaxed) }
    var lastDeliveryTime: UInt64 { lastDelivery.load(ordering: .relaxed) }
    var latencies: LatencyHistogram { histogram.withLock { $0 } }
    var errors: [String] { failures.withLock { $0 } }

    /// Runs one subscriber until it has seen `expected` distinct messages or is cancelled.
    func run(url: String, expected: Int, logger: Logger) async {
        do {
            try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 20), logger: logger) { inbound, _, _ in
                self.connected.add(1, ordering: .relaxed)
                var seen = [Bool](repeating: false, count: expected)
                var count = 0
                var local = LatencyHistogram()
                defer {
                    self.histogram.withLock { $0.merge(local) }
                    self.finished.add(1, ordering: .relaxed)
                }
                for try await frame in inbound {
                    guard let (sequence, timestamp) = BenchMessage.parse(frame.data), sequence >= 0, sequence < expected else { continue }
                    let now = BenchClock.now()
                    if seen[sequence] {
                        self.duplicates.add(1, ordering: .relaxed)
                        continue
                    }
                    seen[sequence] = true
                    local.record(now &- timestamp)
                    count += 1
                    self.delivered.add(1, ordering: .relaxed)
                    self.lastDelivery.store(now, ordering: .relaxed)
                    if count == expected { break }
                }
            }
        } catch is CancellationError {
        } catch {
            failures.withLock { $0.append("\(error)") }
        }
    }
}
