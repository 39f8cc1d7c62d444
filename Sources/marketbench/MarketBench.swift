// marketbench: 1000 WebSocket clients subscribed to one market of an in-process market-ws
// (memory pipeline) while an in-process engine accepts orders at a paced rate and publishes
// their events the way order-router does. Prints deliveries/s and the latency from the
// order's acceptance (just before its events are published) to each event's arrival.
//
// Usage: marketbench [--connections 1000] [--rate 200] [--seconds 10]
import Foundation
import HTTPTypes
import HTTPCore
import Hummingbird
import Logging
import MarketEngine
import MarketWSService
import NIOCore
import NIOPosix
import Pipeline
import Synchronization
import WebSocketTestSupport
import WebSocketCore

struct Options {
    var connections = 1000
    var rate = 200
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

func nowNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Finds `"seq":N` in a message without a JSON parser.
func sequence(in view: [UInt8]) -> UInt64? {
    let marker = Array(#""seq":"#.utf8)
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
    let latencies = Mutex<[UInt32]>([])  // microseconds
    let deliveries = Atomic<Int>(0)
    let subscribed = Atomic<Int>(0)
    let lastArrival = Atomic<UInt64>(0)
    /// Acceptance time of every published sequence (written before the publish).
    let acceptedAt = Mutex<[UInt64: UInt64]>([:])
    let stop = Atomic<Bool>(false)
    /// Deliveries so far (live counter for the drain).
    let delivered = Atomic<Int>(0)
}

@main
struct MarketBench {
    static func main() async throws {
        let options = Options(arguments: CommandLine.arguments)
        var logger = Logger(label: "marketbench")
        logger.logLevel = .critical

        let port = try await freePort()
        let pipeline = MemoryPipeline()
        let configuration = MarketWSConfiguration(
            http: HTTPServerSettings(host: "127.0.0.1", port: port, logLevel: .error),
            webSocket: WebSocketSettings(maxQueuedMessages: 65_536, maxConnections: options.connections + 100),
            operatorKeys: try OperatorKeyStore(developmentKeys: "op-a:key-a,op-b:key-b"),
            heartbeatInterval: .seconds(5),
            webhooksEnabled: false
        )
        let built = try MarketWSApplication.build(configuration: configuration, pipeline: pipeline, logger: logger)
        let server = Task { try await built.application.run() }

        var engine = MarketEngine(clock: { Int64(Date().timeIntervalSince1970 * 1000) })
        var lastSequence: UInt64 = 0
        for event in try engine.apply(.createMarket(.binary(marketId: "bench-1"))).events {
            lastSequence = try await pipeline.publish(subject: "market.\(event.marketId)", payload: EventJSONEncoder().encode(event))
        }

        // Wait for the server.
        while true {
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get() {
                _ = try? await channel.close().get()
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }

        let stats = ClientStats()
        let connections = options.connections

        let snapshotPrefix = Array(#"{"type":"SNAPSHOT""#.utf8)
        let heartbeatPrefix = Array(#"{"type":"HEARTBEAT""#.utf8)
        let sockets = (0..<connections).map { index in
            TestWebSocketClient(
                port: port, path: "/ws", headers: [("X-Api-Key", index % 2 == 0 ? "key-a" : "key-b")], recordsMessages: false
            ) { _, data in
                guard let seq = sequence(in: data) else { return }
                let arrival = nowNanos()
                if data.starts(with: snapshotPrefix) {
                    stats.subscribed.add(1, ordering: .relaxed)
                    return
                }
                if data.starts(with: heartbeatPrefix) || stats.stop.load(ordering: .relaxed) { return }
                if let accepted = stats.acceptedAt.withLock({ $0[seq] }) {
                    let micros = UInt32(min((arrival - min(arrival, accepted)) / 1000, UInt64(UInt32.max)))
                    stats.latencies.withLock { $0.append(micros) }
                    stats.delivered.add(1, ordering: .relaxed)
                    stats.deliveries.add(1, ordering: .relaxed)
                    stats.lastArrival.store(arrival, ordering: .relaxed)
                }
            }
        }
        for socket in sockets {
            socket.send(text: #"{"type":"SUBSCRIBE","payload":{"marketIds":["bench-1"]}}"#)
        }

        let connectStart = ContinuousClock.now
        while stats.subscribed.load(ordering: .relaxed) < options.connections {
            if ContinuousClock.now - connectStart > .seconds(120) {
                print("only \(stats.subscribed.load(ordering: .relaxed)) of \(options.connections) subscribed after 120 s")
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let connectTime = ContinuousClock.now - connectStart

        // Paced order flow: crossing orders of two operators around 0.50.
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(options.rate))
        let flowStart = ContinuousClock.now
        let startNanos = nowNanos()
        var published = 0
        var publicEvents = 0
        var privateEvents = [String: Int]()
        var next = flowStart
        for index in 0..<(options.rate * options.seconds) {
            let operatorId = index % 2 == 0 ? "op-a" : "op-b"
            let side: OrderSide = (index / 2) % 2 == 0 ? .buy : .sell
            let price: FixedDecimal = side == .buy ? (index % 7 == 0 ? "0.51" : "0.49") : (index % 5 == 0 ? "0.49" : "0.51")
            let order = PlaceOrder(marketId: "bench-1", outcomeId: "bench-1-yes", side: side, type: .limit, shares: 1, price: price,
                                   operatorId: operatorId, playerId: "p-\(index % 10)")
            let events = try engine.apply(.placeOrder(order)).events
            let accepted = nowNanos()
            for event in events {
                let payload = EventJSONEncoder().encode(event)
                // This is the only publisher of the stream: the sequence is the next one. Record the
                // acceptance time before the event can reach a socket.
                let expectedSequence = lastSequence + 1
                stats.acceptedAt.withLock { $0[expectedSequence] = accepted }
                lastSequence = try await pipeline.publish(subject: "market.\(event.marketId)", payload: payload)
                precondition(lastSequence == expectedSequence, "another publisher on the market stream")
                published += 1
                if let owner = event.operatorId { privateEvents[owner, default: 0] += 1 } else { publicEvents += 1 }
            }
            next = next.advanced(by: interval)
            let wait = next - ContinuousClock.now
            if wait > .zero { try await Task.sleep(for: wait) }
        }
        let flowTime = ContinuousClock.now - flowStart

        // Every connection should receive the public events and its operator's private ones.
        let expected = options.connections / 2 * (publicEvents + privateEvents["op-a", default: 0])
            + (options.connections - options.connections / 2) * (publicEvents + privateEvents["op-b", default: 0])
        // Wait until every delivery arrived, or nothing arrived for 5 s (at most 120 s).
        let drainStart = ContinuousClock.now
        var lastProgress = ContinuousClock.now
        var lastCount = stats.delivered.load(ordering: .relaxed)
        while ContinuousClock.now - drainStart < .seconds(120) {
            let count = stats.delivered.load(ordering: .relaxed)
            if count >= expected { break }
            if count != lastCount {
                lastCount = count
                lastProgress = ContinuousClock.now
            } else if ContinuousClock.now - lastProgress > .seconds(5) {
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        stats.stop.store(true, ordering: .relaxed)
        await withTaskGroup(of: Void.self) { group in
            for socket in sockets { group.addTask { await socket.close() } }
        }
        let deliveries = stats.deliveries.load(ordering: .relaxed)
        var latencies = stats.latencies.withLock { $0 }
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            return Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1000
        }
        let span = Double(stats.lastArrival.load(ordering: .relaxed) - startNanos) / 1e9
        print("marketbench: \(options.connections) connections on one market, \(options.rate) orders/s for \(options.seconds) s (in-process market-ws, memory pipeline)")
        print("  connect+subscribe: \(connectTime)")
        print("  orders: \(options.rate * options.seconds), events published: \(published) (public \(publicEvents), private \(privateEvents))")
        print("  flow time: \(flowTime)")
        print("  deliveries: \(deliveries) of \(expected) expected (\(String(format: "%.1f", Double(deliveries) / Double(max(expected, 1)) * 100))%)")
        print("  deliveries/s: \(String(format: "%.0f", Double(deliveries) / span)) over \(String(format: "%.2f", span)) s")
        print("  latency acceptance->arrival ms: p50 \(String(format: "%.2f", percentile(0.50))) p90 \(String(format: "%.2f", percentile(0.90))) p99 \(String(format: "%.2f", percentile(0.99))) max \(String(format: "%.2f", percentile(1.0)))")
        print("  slow-consumer closes: \(built.hub.slowConsumerCloseCount)")
        server.cancel()
        _ = try? await server.value
    }
}
