import AsyncHTTPClient
import BrokerTestSupport
import Foundation
import HTTPCore
import HTTPTypes
import InPlayService
import Logging
import NIOCore
import NIOHTTP1
import Pipeline
import ServiceLifecycle
import SetupDetection
import Synchronization
import WebSocketTestSupport
import WebSocketCore

// End-to-end latency of the inplay service: from a bar's arrival (a REST `POST /inplay/bars`
// or a pipeline publish) to the `watchlist.update` it causes arriving on WebSocket clients.
//
// The service runs in this process on 127.0.0.1; clients connect over real sockets. Bars are placed at 20:00-24:00 UTC on winter/spring days, when no session window
// is open, so only Engulfing can fire: each round sends one unmeasured bearish bar per symbol
// (no setup), then, per symbol, one bullish engulfing bar (exactly one setup, one update).
//
//   closed loop: one measured bar at a time (send, wait for the update, next)
//   burst:       every symbol's engulfing bar published back to back on the pipeline; the
//                k-th update received answers the k-th bar (one serial detection path)
//
// Usage: inplayws-bench [--symbols 500] [--watchlists 10] [--samples 2000] [--clients 1]
//                       [--backend memory|redis|nats]
// With redis or nats, a broker is started on a free loopback port (redis-server / nats-server
// must be installed) and bars are published by a second pipeline client, as another process would.

struct Options {
    var symbols = 500
    var watchlists = 10
    var samples = 2000
    var clients = 1
    var backend = "memory"

    init(_ arguments: [String]) {
        var index = 1
        while index + 1 < arguments.count {
            let value = Int(arguments[index + 1]) ?? 0
            switch arguments[index] {
            case "--backend": backend = arguments[index + 1]
            case "--symbols": symbols = max(1, value)
            case "--watchlists": watchlists = max(1, value)
            case "--samples": samples = max(1, value)
            case "--clients": clients = max(1, value)
            default: break
            }
            index += 2
        }
        watchlists = min(watchlists, symbols)
    }
}

/// Arrival times of WebSocket messages, per client, in order.
final class Arrivals: Sendable {
    private let state = Mutex<[[ContinuousClock.Instant]]>([])
    init(clients: Int) { state.withLock { $0 = Array(repeating: [], count: clients) } }
    func record(_ client: Int) {
        let now = ContinuousClock.now
        state.withLock { $0[client].append(now) }
    }
    func count(_ client: Int) -> Int { state.withLock { $0[client].count } }
    func minimumCount() -> Int { state.withLock { $0.map(\.count).min() ?? 0 } }
    func times(_ client: Int) -> [ContinuousClock.Instant] { state.withLock { $0[client] } }
}

/// An integer shared between tasks.
final class SharedInt: Sendable {
    private let atomic = Atomic<Int>(0)
    func store(_ value: Int) { atomic.store(value, ordering: .releasing) }
    func load() -> Int { atomic.load(ordering: .acquiring) }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func report(_ name: String, _ latencies: [Duration]) {
    let micros = latencies.map { Double($0.components.seconds) * 1e6 + Double($0.components.attoseconds) / 1e12 }.sorted()
    func f(_ v: Double) -> String { String(format: "%.0f", v) }
    print("\(name): n=\(micros.count) p50=\(f(percentile(micros, 50))) us p90=\(f(percentile(micros, 90))) us p99=\(f(percentile(micros, 99))) us max=\(f(micros.last ?? .nan)) us")
}

func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw BenchError("timed out waiting for \(what)") }
        try await Task.sleep(for: .microseconds(50))
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func barJSON(_ symbol: String, start: UTCTime, bullish: Bool) -> String {
    bullish
        ? #"{"symbol":"\#(symbol)","timestamp":\#(start.secondsSinceEpoch),"open":99.8,"high":102.5,"low":99.4,"close":102}"#
        : #"{"symbol":"\#(symbol)","timestamp":\#(start.secondsSinceEpoch),"open":101,"high":101.5,"low":99.5,"close":100}"#
}

/// Round r's bearish bar starts at 20:00 + 2r minutes UTC (100 rounds per day, then the next
/// day); its engulfing bar one minute later.
func roundStart(_ round: Int) -> UTCTime {
    let day = CivilDate(2024, 1, 8)
    return UTCTime(day, hour: 20).adding(seconds: Int64(round / 100) * 86_400 + Int64(round % 100) * 120)
}

/// The benchmark's entry point.
@main
enum InPlayWSBench {
    static func main() async throws {
        let options = Options(CommandLine.arguments)
        let logger: Logger = {
            var logger = Logger(label: "inplayws-bench")
            logger.logLevel = .error
            return logger
        }()
        let token = "bench-token"
        let symbols = (0..<options.symbols).map { String(format: "S%04d", $0) }
        let perList = (symbols.count + options.watchlists - 1) / options.watchlists
        let watchlistText = stride(from: 0, to: symbols.count, by: perList).enumerated().map { index, start in
            "wl\(index)=" + symbols[start..<min(start + perList, symbols.count)].joined(separator: ",")
        }.joined(separator: ";")
        let watchlistCount = (symbols.count + perList - 1) / perList

        var broker: BrokerServer?
        let pipeline: any EventPipeline
        let producer: any EventPipeline
        switch options.backend {
        case "redis", "nats":
            let server = options.backend == "redis" ? try await BrokerServer.startRedis(appendOnly: false) : try await BrokerServer.startNats()
            broker = server
            let environment = [
                "STREAMING_PIPELINE_BACKEND": options.backend,
                options.backend == "redis" ? "STREAMING_REDIS_URL" : "STREAMING_NATS_URL": server.url,
            ]
            pipeline = try PipelineFactory.make(environment: environment, logger: logger)
            producer = try PipelineFactory.make(environment: environment, logger: logger)
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while true {
                let serviceSide = await pipeline.isReady()
                let producerSide = await producer.isReady()
                if serviceSide && producerSide { break }
                guard ContinuousClock.now < deadline else { throw BenchError("the broker is not ready") }
                try await Task.sleep(for: .milliseconds(20))
            }
        default:
            let memory = MemoryPipeline()
            pipeline = memory
            producer = memory
        }
        print("backend: \(options.backend)")
        let configuration = InPlayConfiguration(
            http: HTTPServerSettings(host: "127.0.0.1", port: 0, logLevel: .error, maxBodyBytes: 1 << 24),
            webSocket: WebSocketSettings(maxQueuedMessages: 100_000),
            watchlists: try Watchlist.parseConfiguration(watchlistText),
            serviceToken: token
        )
        let boundPort = SharedInt()
        let service = try await InPlayApplication.build(
            configuration: configuration, pipeline: pipeline, logger: logger, now: UTCTime(CivilDate(2024, 1, 8)),
            onServerRunning: { channel in boundPort.store(channel.localAddress?.port ?? 0) }
        )
        let group = ServiceGroup(configuration: .init(services: [service.application, service.hub], logger: logger))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let arrivals = Arrivals(clients: options.clients)
        let lastMessageBytes = SharedInt()

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitUntil("the server") { boundPort.load() != 0 }
            let port = boundPort.load()
            try await waitUntil("the bar feed") { service.barFeed.isSubscribed }
            let sockets = (0..<options.clients).map { client in
                TestWebSocketClient(
                    port: port, path: "/inplay/ws", headers: [("Authorization", "Bearer \(token)")], recordsMessages: false
                ) { _, payload in
                    arrivals.record(client)
                    if client == 0 { lastMessageBytes.store(payload.count) }
                }
            }
            // Snapshot: one message per watchlist per client.
            try await waitUntil("the snapshots") { arrivals.minimumCount() >= watchlistCount }

            func post(_ body: String) async throws {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/inplay/bars")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await http.execute(request, timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
                guard response.status == .accepted else { throw BenchError("POST /inplay/bars answered \(response.status)") }
            }

            /// Sends the unmeasured bearish bars of a round in one request (no setup, no update).
            func prepare(_ round: Int) async throws {
                let start = roundStart(round)
                try await post("[" + symbols.map { barJSON($0, start: start, bullish: false) }.joined(separator: ",") + "]")
            }

            var round = 0
            for mode in ["rest", "pipeline"] {
                var latencies: [Duration] = []
                var measured = 0
                while measured < options.samples {
                    try await prepare(round)
                    let start = roundStart(round).adding(seconds: 60)
                    for symbol in symbols where measured < options.samples {
                        let before = arrivals.minimumCount()
                        let sent = ContinuousClock.now
                        if mode == "rest" {
                            try await post(barJSON(symbol, start: start, bullish: true))
                        } else {
                            _ = try await producer.publish(subject: "marketdata.bars.\(symbol)", payload: Array(barJSON(symbol, start: start, bullish: true).utf8))
                        }
                        try await waitUntil("an update") { arrivals.minimumCount() > before }
                        for client in 0..<options.clients { latencies.append(arrivals.times(client)[before] - sent) }
                        measured += 1
                    }
                    round += 1
                }
                report("closed loop, \(mode) -> ws, \(options.symbols) symbols, \(options.clients) client(s)", latencies)
                print("  last watchlist.update size: \(lastMessageBytes.load()) bytes")
            }

            // Burst: one engulfing bar per symbol, published back to back on the pipeline.
            var burst: [Duration] = []
            var burstSeconds: [Double] = []
            for _ in 0..<max(1, options.samples / symbols.count) {
                try await prepare(round)
                let start = roundStart(round).adding(seconds: 60)
                let base = (0..<options.clients).map { arrivals.count($0) }
                var sentAt: [ContinuousClock.Instant] = []
                sentAt.reserveCapacity(symbols.count)
                let began = ContinuousClock.now
                for symbol in symbols {
                    sentAt.append(ContinuousClock.now)
                    _ = try await producer.publish(subject: "marketdata.bars.\(symbol)", payload: Array(barJSON(symbol, start: start, bullish: true).utf8))
                }
                try await waitUntil("the burst's updates") { (0..<options.clients).allSatisfy { arrivals.count($0) >= base[$0] + symbols.count } }
                var last = began
                for client in 0..<options.clients {
                    let times = arrivals.times(client)
                    for (index, sent) in sentAt.enumerated() { burst.append(times[base[client] + index] - sent) }
                    last = max(last, times[base[client] + symbols.count - 1])
                }
                let elapsed = last - began
                burstSeconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                round += 1
            }
            report("burst of \(options.symbols) bars, pipeline -> ws, \(options.clients) client(s)", burst)
            let rates = burstSeconds.map { Double(symbols.count) / $0 }
            print(String(format: "burst throughput: %.0f bars/s (each bar one watchlist.update of a %d-symbol watchlist)", rates.reduce(0, +) / Double(rates.count), perList))

            for socket in sockets { await socket.close() }
            await group.triggerGracefulShutdown()
            try await http.shutdown()
            try await tasks.waitForAll()
            await pipeline.shutdown()
            if options.backend != "memory" { await producer.shutdown() }
            await broker?.stop()
        }
    }
}
