// marketbench: 1000 WebSocket clients subscribed to one market of market-ws while orders flow
// into order-router over REST at a paced rate; both services run in this process on one memory
// pipeline, exactly as wired in production (order-router publishes `market.{id}`, market-ws
// consumes it). Prints deliveries/s and the latency from each order's acceptance (the event's
// `timestamp`, set by order-router's engine when it accepted the order, in ms) to each event's
// arrival at a client.
//
// Usage: marketbench [--connections 1000] [--rate 20] [--seconds 10]
import AsyncHTTPClient
import Foundation
import HTTPCore
import Hummingbird
import Logging
import MarketEngine
import MarketWSService
import NIOCore
import NIOHTTP1
import NIOPosix
import OrderRouterService
import Pipeline
import Synchronization
import WebSocketTestSupport
import WebSocketCore

struct Options {
    var connections = 1000
    var rate = 20
    var seconds = 10

    init(arguments: [String]) {
        var index = 1
        while index + 1 < arguments.count {
            let value = Int(arguments[index + 1]) ?? 0
            switch arguments[index] {
            case "--connections": connections = max(1, value)
            case "--rate": rate = max(1, value)
            case "--seconds": seconds = max(1, value)
            default: break
            }
            index += 2
        }
    }
}

/// Wall-clock milliseconds, the clock of the events' `timestamp`.
func nowMillis() -> Double { Date().timeIntervalSince1970 * 1000 }

/// Finds `"{key}":N` (an integer) in a message without a JSON parser.
func integer(_ marker: [UInt8], in view: [UInt8]) -> UInt64? {
    guard let start = view.firstRange(of: marker)?.upperBound else { return nil }
    var value: UInt64 = 0
    var index = start
    while index < view.endIndex, view[index] >= 48, view[index] <= 57 {
        value = value * 10 + UInt64(view[index] - 48)
        index += 1
    }
    return index == start ? nil : value
}

func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
}

final class ClientStats: Sendable {
    let latencies = Mutex<[Float]>([])  // milliseconds
    let delivered = Atomic<Int>(0)
    let subscribed = Atomic<Int>(0)
    let firstArrival = Atomic<UInt64>(0)
    let lastArrival = Atomic<UInt64>(0)
    let rejectedOrders = Atomic<Int>(0)
}

/// Counts what order-router published: public events, and private ones per operator.
final class PublishedCount: Sendable {
    let counts = Mutex<(public: Int, private: [String: Int])>((0, [:]))
}

@main
struct MarketBench {
    /// POSTs a JSON body; returns the status code.
    static func post(_ http: HTTPClient, _ url: String, _ body: String, headers: [(String, String)]) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    static func main() async throws {
        let options = Options(arguments: CommandLine.arguments)
        var logger = Logger(label: "marketbench")
        logger.logLevel = .critical
        let pipeline = MemoryPipeline()
        let keys = try OperatorKeyStore(developmentKeys: "op-a:key-a,op-b:key-b")

        // order-router (REST, journal, event outbox to the pipeline) and market-ws, in process.
        let routerPort = try await freePort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marketbench-\(UUID().uuidString)").path
        let router = try await OrderRouterApplication.build(
            configuration: OrderRouterConfiguration(
                http: HTTPServerSettings(host: "127.0.0.1", port: routerPort, logLevel: .error),
                adminToken: "bench-admin", operatorKeys: keys, journalPath: folder + "/journal.log"
            ),
            pipeline: pipeline, logger: logger
        )
        _ = Task { try await router.application.runService() }
        let port = try await freePort()
        let built = try MarketWSApplication.build(
            configuration: MarketWSConfiguration(
                http: HTTPServerSettings(host: "127.0.0.1", port: port, logLevel: .error),
                webSocket: WebSocketSettings(maxQueuedMessages: 65_536, maxConnections: options.connections + 100),
                operatorKeys: keys, markets: ["bench-1"], heartbeatInterval: .seconds(5), webhooksEnabled: false
            ),
            pipeline: pipeline, logger: logger
        )
        _ = Task { try await built.application.run() }

        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        let routerBase = "http://127.0.0.1:\(routerPort)"
        @Sendable func post(_ path: String, _ body: String, headers: [(String, String)]) async throws -> Int {
            try await Self.post(http, routerBase + path, body, headers: headers)
        }
        // Wait for both servers, then create the market through order-router.
        var created = 0
        for _ in 0..<200 where created != 201 {
            created = (try? await post("/markets", #"{"marketId":"bench-1"}"#, headers: [("Authorization", "Bearer bench-admin")])) ?? 0
            if created != 201 { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard created == 201 else { fatalError("order-router did not start") }
        while (try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get().close().get()) == nil {
            try await Task.sleep(for: .milliseconds(50))
        }
        let waitStart = ContinuousClock.now
        while built.feed.lastSequence == 0, ContinuousClock.now - waitStart < .seconds(10) {
            try await Task.sleep(for: .milliseconds(20))
        }

        // What order-router publishes from now on, counted to know what every client should get.
        let published = PublishedCount()
        let startSequence = built.feed.lastSequence
        let counter = Task {
            let subscription = try await pipeline.subscribe("market.bench-1", from: .after(startSequence))
            let marker = Array(#""operatorId":""#.utf8)
            for try await event in subscription {
                let payload = event.payload
                if let range = payload.firstRange(of: marker) {
                    let end = payload[range.upperBound...].firstIndex(of: UInt8(ascii: "\"")) ?? payload.endIndex
                    let owner = String(decoding: payload[range.upperBound..<end], as: UTF8.self)
                    published.counts.withLock { $0.private[owner, default: 0] += 1 }
                } else {
                    published.counts.withLock { $0.public += 1 }
                }
            }
        }

        let stats = ClientStats()
        let seqMarker = Array(#""seq":"#.utf8)
        let timestampMarker = Array(#""timestamp":"#.utf8)
        let snapshotPrefix = Array(#"{"type":"SNAPSHOT""#.utf8)
        let heartbeatPrefix = Array(#"{"type":"HEARTBEAT""#.utf8)
        let connectStart = ContinuousClock.now
        let sockets = (0..<options.connections).map { index in
            TestWebSocketClient(
                port: port, path: "/ws", headers: [("X-Api-Key", index % 2 == 0 ? "key-a" : "key-b")], recordsMessages: false
            ) { _, data in
                if data.starts(with: snapshotPrefix) {
                    stats.subscribed.add(1, ordering: .relaxed)
                    return
                }
                guard !data.starts(with: heartbeatPrefix), let seq = integer(seqMarker, in: data), seq > startSequence else { return }
                let arrival = nowMillis()
                stats.delivered.add(1, ordering: .relaxed)
                let nanos = DispatchTime.now().uptimeNanoseconds
                _ = stats.firstArrival.compareExchange(expected: 0, desired: nanos, ordering: .relaxed)
                stats.lastArrival.store(nanos, ordering: .relaxed)
                if let accepted = integer(timestampMarker, in: data) {
                    let latency = Float(max(0, arrival - Double(accepted)))
                    stats.latencies.withLock { $0.append(latency) }
                }
            }
        }
        for socket in sockets {
            socket.send(text: #"{"type":"SUBSCRIBE","payload":{"marketIds":["bench-1"]}}"#)
        }
        while stats.subscribed.load(ordering: .relaxed) < options.connections, ContinuousClock.now - connectStart < .seconds(120) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let connectTime = ContinuousClock.now - connectStart

        // Paced order flow into order-router's REST: crossing orders of two operators around 0.50.
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(options.rate))
        let flowStart = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            var next = flowStart
            for index in 0..<(options.rate * options.seconds) {
                let key = index % 2 == 0 ? "key-a" : "key-b"
                let side = (index / 2) % 2 == 0 ? "BUY" : "SELL"
                let price = side == "BUY" ? (index % 7 == 0 ? "0.51" : "0.49") : (index % 5 == 0 ? "0.49" : "0.51")
                let body = #"{"marketId":"bench-1","outcomeId":"bench-1-yes","side":"\#(side)","type":"LIMIT","shares":"1","price":"\#(price)","playerId":"p-\#(index % 10)"}"#
                let url = routerBase + "/orders"
                group.addTask {
                    if (try? await Self.post(http, url, body, headers: [("X-Api-Key", key)])) != 201 { stats.rejectedOrders.add(1, ordering: .relaxed) }
                }
                next = next.advanced(by: interval)
                let wait = next - ContinuousClock.now
                if wait > .zero { try? await Task.sleep(for: wait) }
            }
        }
        let flowTime = ContinuousClock.now - flowStart

        // Wait until every delivery arrived, or nothing arrived for 5 s (at most 120 s).
        func expected() -> Int {
            let counts = published.counts.withLock { $0 }
            return options.connections / 2 * (counts.public + counts.private["op-a", default: 0])
                + (options.connections - options.connections / 2) * (counts.public + counts.private["op-b", default: 0])
        }
        let drainStart = ContinuousClock.now
        var lastProgress = ContinuousClock.now
        var lastCount = -1
        while ContinuousClock.now - drainStart < .seconds(120) {
            let count = stats.delivered.load(ordering: .relaxed)
            if count >= expected(), count > 0 { break }
            if count != lastCount {
                lastCount = count
                lastProgress = ContinuousClock.now
            } else if ContinuousClock.now - lastProgress > .seconds(5) {
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        await withTaskGroup(of: Void.self) { group in
            for socket in sockets { group.addTask { await socket.close() } }
        }
        let deliveries = stats.delivered.load(ordering: .relaxed)
        let counts = published.counts.withLock { $0 }
        var latencies = stats.latencies.withLock { $0 }
        latencies.sort()
        func percentile(_ p: Double) -> Float {
            guard !latencies.isEmpty else { return .nan }
            return latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        let span = Double(stats.lastArrival.load(ordering: .relaxed) &- stats.firstArrival.load(ordering: .relaxed)) / 1e9
        print("marketbench: \(options.connections) connections on one market, \(options.rate) orders/s for \(options.seconds) s into order-router REST (order-router and market-ws in process, memory pipeline)")
        print("  connect+subscribe: \(connectTime)")
        print("  orders: \(options.rate * options.seconds) (rejected \(stats.rejectedOrders.load(ordering: .relaxed))), events published: public \(counts.public), private \(counts.private)")
        print("  flow time: \(flowTime)")
        print("  deliveries: \(deliveries) of \(expected()) expected (\(String(format: "%.1f", Double(deliveries) / Double(max(expected(), 1)) * 100))%)")
        print("  deliveries/s: \(String(format: "%.0f", Double(deliveries) / max(span, 0.001))) over \(String(format: "%.2f", span)) s")
        print("  latency acceptance->arrival ms (event timestamp, ms resolution): p50 \(String(format: "%.1f", percentile(0.50))) p90 \(String(format: "%.1f", percentile(0.90))) p99 \(String(format: "%.1f", percentile(0.99))) max \(String(format: "%.1f", percentile(1.0)))")
        print("  slow-consumer closes: \(built.hub.slowConsumerCloseCount)")
        counter.cancel()
        try await http.shutdown()
        // The in-process services are not shut down gracefully: 1000 sockets and two servers
        // would only add seconds to a benchmark whose figures are printed.
        exit(0)
    }
}
