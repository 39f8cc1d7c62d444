import AsyncHTTPClient
import Foundation
import HTTPCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import WebSocketCore

/// `streambench`: the suite's WebSocket fan-out benchmark (see ``BenchOptions/usage``).
@main
struct StreamBench {
    static func main() async {
        let options: BenchOptions
        do {
            options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            print(error)
            exit(2)
        }
        var logger = Logger(label: "streambench")
        logger.logLevel = .error
        do {
            switch options.mode {
            case .hub: try await runHub(options, logger: logger)
            case .ingest: try await runIngest(options, logger: logger)
            }
        } catch {
            print("streambench: \(error)")
            exit(1)
        }
    }

    /// In-process server on WebSocketCore; messages go straight into `TopicHub.publish`.
    static func runHub(_ options: BenchOptions, logger: Logger) async throws {
        let settings = WebSocketSettings(maxQueuedMessages: max(4096, options.messages + 16), maxConnections: options.subscribers + 100)
        let hub = TopicHub(endpoint: "bench", settings: settings)
        let router = Router(context: WebSocketServiceContext.self)
        router.ws("/ws/:topic") { inbound, outbound, context in
            let topic = context.requestContext.parameters.get("topic") ?? "bench"
            guard let connection = hub.open() else { return }
            hub.subscribe(connection, to: topic)
            try await hub.serve(connection, inbound: inbound, outbound: outbound, channel: context.requestContext.channel, logger: context.logger) { _ in }
        }
        let port = Mutex<Int?>(nil)
        let app = Application(
            router: router,
            server: WebSocketServer.builder(router: router, settings: settings),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), backlog: 4096),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            eventLoopGroupProvider: ProcessInfo.processInfo.environment["BENCH_SERVER_THREADS"].flatMap(Int.init).map { .shared(MultiThreadedEventLoopGroup(numberOfThreads: $0)) } ?? .singleton,
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
            let url = "ws://127.0.0.1:\(port.withLock { $0 }!)/ws/\(options.room)"
            try await measure(options, url: url, logger: logger, publisher: .tasks { sequence, timestamp in
                let payload = BenchMessage.payload(sequence: sequence, timestamp: timestamp, padding: options.payloadBytes)
                hub.publish(ByteBuffer(string: #"{"room":"bench","seq":\#(sequence),"payload":\#(payload)}"#), to: options.room)
            })
            group.cancelAll()
        }
    }

    /// Subscribers on a running service; messages POSTed to its ingest endpoint.
    static func runIngest(_ options: BenchOptions, logger: Logger) async throws {
        if options.client == .raw && options.rate > 0 {
            // Paced (the latency figure): one keep-alive socket, one request at a time, no HTTP
            // client event loops on the two cores the server needs. Unpaced runs keep
            // AsyncHTTPClient's concurrent requests, which arrive in bursts as real producers'
            // do.
            let publisher = try RawHTTPPublisher(url: options.ingestURL, token: options.token)
            let failures = SharedCounter()
            try await measure(options, url: options.wsURL, logger: logger, publisher: .pacedThread { sequence, timestamp in
                let payload = BenchMessage.payload(sequence: sequence, timestamp: timestamp, padding: options.payloadBytes)
                if !publisher.post(#"{"room":\#(JSONText.quoted(options.room)),"payload":\#(payload)}"#) { _ = failures.next() }
            })
            if failures.current > 0 { print("ingest: \(failures.current) publish requests failed") }
            return
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: options.publishConcurrency)))
        let failures = SharedCounter()
        try await measure(options, url: options.wsURL, logger: logger, publisher: .tasks { sequence, timestamp in
            let payload = BenchMessage.payload(sequence: sequence, timestamp: timestamp, padding: options.payloadBytes)
            var request = HTTPClientRequest(url: options.ingestURL)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            if !options.token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(options.token)") }
            request.body = .bytes(ByteBuffer(string: #"{"room":\#(JSONText.quoted(options.room)),"payload":\#(payload)}"#))
            do {
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 16)
                if response.status.code >= 300 { _ = failures.next() }
            } catch {
                _ = failures.next()
            }
        })
        try? await client.shutdown()
        let failed = failures.current
        if failed > 0 { print("ingest: \(failed) publish requests failed") }
    }

    /// How `measure` sends message `sequence` carrying `timestamp`: its scheduled time when
    /// paced (so a publisher that falls behind is charged for it), the current time otherwise.
    enum Publisher {
        /// From `--publish-concurrency` tasks (paced with `Task.sleep` when `--rate` is set).
        case tasks(@Sendable (Int, UInt64) async -> Void)
        /// From one thread that sleeps to the nanosecond with `clock_nanosleep`, as a C load
        /// generator paces: a task's sleep can wake a millisecond late, and that lateness would
        /// count as the server's latency.
        case pacedThread(@Sendable (Int, UInt64) -> Void)
    }

    /// Connects the subscribers, publishes with `publisher`, waits for the deliveries
    /// and prints the figures.
    static func measure(_ options: BenchOptions, url: String, logger: Logger, publisher: Publisher) async throws {
        let pool = SubscriberPool()
        print("streambench mode=\(options.mode.rawValue) client=\(options.client.rawValue) subscribers=\(options.subscribers) messages=\(options.messages) rate=\(options.rate == 0 ? "max" : "\(Int(options.rate))/s") payload=\(options.payloadBytes)B")
        try await withThrowingTaskGroup(of: Void.self) { group in
            let connectStart = BenchClock.now()
            let epoll = options.client == .raw ? EpollSubscriberSet(pool: pool, expected: options.messages) : nil
            epoll?.start(url: url, count: options.subscribers)
            for index in 0..<options.subscribers where epoll == nil {
                if options.client == .nio {
                    group.addTask {
                        do {
                            try await NIOSubscriber.connect(url: url, pool: pool, expected: options.messages)
                        } catch {
                            pool.recordFailure(error)
                        }
                    }
                } else {
                    group.addTask { await pool.run(url: url, expected: options.messages, logger: logger) }
                }
                // Connect in waves so the listen backlog is never overrun.
                if index % options.connectConcurrency == options.connectConcurrency - 1 {
                    try await waitUntil(seconds: 30) { pool.connectedCount + pool.errors.count >= index + 1 }
                }
            }
            try await waitUntil(seconds: 60) { pool.connectedCount + pool.errors.count >= options.subscribers }
            guard pool.connectedCount == options.subscribers else {
                throw OptionError("only \(pool.connectedCount) of \(options.subscribers) subscribers connected: \(pool.errors.prefix(3))")
            }
            print("connected \(options.subscribers) in \(seconds(BenchClock.now() - connectStart)) s")
            // Give the server a moment to register every subscription.
            try await Task.sleep(for: .milliseconds(200))

            let cpuStart = processCPUSeconds()
            let publishStart = BenchClock.now()
            switch publisher {
            case .pacedThread(let publish):
                await publishPaced(messages: options.messages, rate: options.rate, start: publishStart, publish)
            case .tasks(let publish):
                let next = SharedCounter()
                let concurrency = options.mode == .hub ? 1 : options.publishConcurrency
                try await withThrowingTaskGroup(of: Void.self) { publishers in
                    for _ in 0..<concurrency {
                        publishers.addTask {
                            while true {
                                let sequence = next.next()
                                guard sequence < options.messages else { return }
                                var timestamp = BenchClock.now()
                                if options.rate > 0 {
                                    let due = publishStart + UInt64(Double(sequence) / options.rate * 1e9)
                                    if due > timestamp { try await Task.sleep(for: .nanoseconds(Int(due - timestamp))) }
                                    timestamp = due
                                } else {
                                    timestamp = BenchClock.now()
                                }
                                await publish(sequence, timestamp)
                            }
                        }
                    }
                    try await publishers.waitForAll()
                }
            }
            let publishEnd = BenchClock.now()
            let expected = options.subscribers * options.messages
            try? await waitUntil(seconds: options.drainSeconds) { pool.finishedCount == options.subscribers }
            epoll?.stop()
            group.cancelAll()

            let cpuUsed = processCPUSeconds() - cpuStart
            let delivered = pool.deliveredCount
            let elapsed = max(pool.lastDeliveryTime, publishEnd) - publishStart
            let latencies = pool.latencies
            print("published \(options.messages) in \(seconds(publishEnd - publishStart)) s")
            print("delivered \(delivered) of \(expected), lost \(expected - delivered), duplicates \(pool.duplicateCount) in \(seconds(elapsed)) s")
            print("deliveries/s \(Int(Double(delivered) / (Double(elapsed) / 1e9)))")
            print("process CPU \(String(format: "%.2f", cpuUsed)) s, \(String(format: "%.2f", cpuUsed * 1e6 / Double(max(delivered, 1)))) us per delivery (this process: \(options.mode == .hub ? "server and subscribers" : "subscribers and publisher"))")
            print("latency p50 \(millis(latencies.value(at: 0.5))) ms, p90 \(millis(latencies.value(at: 0.9))) ms, p99 \(millis(latencies.value(at: 0.99))) ms, p999 \(millis(latencies.value(at: 0.999))) ms, max \(millis(latencies.maximum)) ms")
        }
    }

    /// Sends `messages` messages from a thread of its own, message `n` at `start + n / rate`
    /// (absolute `clock_nanosleep` on the monotonic clock, the one ``BenchClock`` reads).
    static func publishPaced(messages: Int, rate: Double, start: UInt64, _ publish: @escaping @Sendable (Int, UInt64) -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                for sequence in 0..<messages {
                    let due = start + UInt64(Double(sequence) / rate * 1e9)
                    var wake = timespec(tv_sec: Int(due / 1_000_000_000), tv_nsec: Int(due % 1_000_000_000))
                    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &wake, nil) == EINTR {}
                    publish(sequence, due)
                }
                continuation.resume()
            }
            thread.name = "streambench.publisher"
            thread.start()
        }
    }

    /// CPU seconds (user + system) this process has used.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func waitUntil(seconds: Double, _ condition: () -> Bool) async throws {
        let deadline = BenchClock.now() + UInt64(seconds * 1e9)
        while !condition() {
            guard BenchClock.now() < deadline else { throw OptionError("timed out") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func seconds(_ nanoseconds: UInt64) -> String { String(format: "%.3f", Double(nanoseconds) / 1e9) }
    static func millis(_ nanoseconds: UInt64) -> String { String(format: "%.2f", Double(nanoseconds) / 1e6) }
}
