import AsyncHTTPClient
import Foundation
import HTTPCore
import Hummingbird
import Logging
import MarketEngine
import NIOCore
import NIOHTTP1
import OrderRouterService
import Pipeline
import ServiceLifecycle
import Synchronization

// orderbench: REST order entry end to end (HTTP client → order-router → engine → group
// commit with fsync → response), with AsyncHTTPClient over many keep-alive connections.
//
//   orderbench [--orders N] [--connections C] [--rate R] [--seconds S] [--client raw|ahc] [--batch B] [--url URL --api-key K --admin-token T]
//
// Without --url it starts order-router in process (memory pipeline, a journal in a temporary
// folder). Phase 1: closed loop, C connections, N orders: orders/s and latency percentiles.
// Phase 2: open loop paced at R orders/s for S seconds: latency measured from each order's
// scheduled send time (no coordinated omission). The load comes from `--client raw` (default:
// keep-alive sockets driven by one epoll thread, as wrk or another C load generator does) or
// `--client ahc` (AsyncHTTPClient, which costs the shared two cores several times more).
// `--batch B` (raw client, closed loop only) sends B orders per `POST /orders/batch` instead
// of one per `POST /orders`; orders/s then counts the orders, not the requests. Only answers
// with status 200 count as completed; the service's own counters of placed and refused orders
// are printed too (a 200 answers the batch, not each order).

struct Options {
    var orders = 200_000
    var connections = 64
    var rate = 5_000
    var seconds = 10
    var url: String?
    var apiKey = "bench-key"
    var adminToken = "bench-admin"
    var client = "raw"
    var batch = 0

    static let usage = """
        usage: orderbench [--orders N] [--connections C] [--rate R] [--seconds S] [--client raw|ahc] [--batch B]
                          [--url URL --api-key K --admin-token T]
        """

    /// The options, or the usage on standard error and exit status 2 for anything else.
    init(arguments: [String]) {
        var index = 1
        func refuse(_ reason: String) -> Never {
            FileHandle.standardError.write(Data("orderbench: \(reason)\n\(Self.usage)\n".utf8))
            exit(2)
        }
        func next() -> String {
            index += 1
            guard index < arguments.count else { refuse("missing value after \(arguments[index - 1])") }
            return arguments[index]
        }
        func number() -> Int {
            let text = next()
            guard let value = Int(text), value > 0 else { refuse("\(arguments[index - 1]) needs a positive whole number, not \(text)") }
            return value
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--orders": orders = number()
            case "--connections": connections = number()
            case "--rate": rate = number()
            case "--seconds": seconds = number()
            case "--batch": batch = number()
            case "--url": url = next()
            case "--api-key": apiKey = next()
            case "--admin-token": adminToken = next()
            case "--client":
                client = next()
                guard client == "raw" || client == "ahc" else { refuse("--client is raw or ahc, not \(client)") }
            case "--help", "-h":
                print(Self.usage)
                exit(0)
            default: refuse("unknown argument \(arguments[index])")
            }
            index += 1
        }
        if batch > 0 && client != "raw" { refuse("--batch runs with the raw client only") }
    }
}

/// Latencies in nanoseconds, summarised.
struct Latencies {
    var samples: [Int64] = []

    mutating func add(_ other: [Int64]) { samples.append(contentsOf: other) }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
        return Double(sorted[max(index, 0)]) / 1_000_000
    }

    var summary: String {
        String(format: "p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms",
               percentile(0.50), percentile(0.90), percentile(0.99), percentile(0.999), percentile(1.0))
    }
}

let markets = (0..<10).map { "bench-\($0)" }

/// The body of order number `index` for a writer: limit orders around 0.50, about half
/// crossing, spread over 10 markets and both outcomes.
func orderBody(_ index: Int, writer: Int) -> ByteBuffer {
    var generator = UInt64(truncatingIfNeeded: index &* 2_654_435_761 &+ writer &* 40_503)
    generator ^= generator >> 13
    let market = markets[Int(generator % 10)]
    let outcome = (generator >> 8) % 2 == 0 ? "\(market)-yes" : "\(market)-no"
    let side = (generator >> 9) % 2 == 0 ? "BUY" : "SELL"
    let price = 45 + Int((generator >> 10) % 11)
    let shares = 1 + Int((generator >> 16) % 50)
    return ByteBuffer(string: """
        {"marketId":"\(market)","outcomeId":"\(outcome)","side":"\(side)","type":"LIMIT","shares":"\(shares)","price":"0.\(price)","playerId":"player-\(writer)"}
        """)
}

func post(_ client: HTTPClient, url: String, apiKey: String, body: ByteBuffer) async -> Bool {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "X-Api-Key", value: apiKey)
    request.body = .bytes(body)
    do {
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code == 201
    } catch {
        return false
    }
}

func createMarkets(_ client: HTTPClient, base: String, adminToken: String) async throws {
    for market in markets {
        var request = HTTPClientRequest(url: base + "/markets")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(adminToken)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"marketId":"\#(market)"}"#))
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        guard response.status.code == 201 || response.status.code == 409 else {
            fatalError("cannot create market \(market): \(response.status)")
        }
    }
}

func closedLoop(_ client: HTTPClient, url: String, apiKey: String, orders: Int, connections: Int) async -> (Double, Latencies, Int) {
    let start = ContinuousClock.now
    let results = await withTaskGroup(of: ([Int64], Int).self) { group in
        for writer in 0..<connections {
            group.addTask {
                var latencies: [Int64] = []
                var failures = 0
                var index = writer
                while index < orders {
                    let sent = ContinuousClock.now
                    if !(await post(client, url: url, apiKey: apiKey, body: orderBody(index, writer: writer))) { failures += 1 }
                    let elapsed = ContinuousClock.now - sent
                    latencies.append(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
                    index += connections
                }
                return (latencies, failures)
            }
        }
        var all = Latencies()
        var failures = 0
        for await (latencies, failed) in group {
            all.add(latencies)
            failures += failed
        }
        return (all, failures)
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(orders) / seconds, results.0, results.1)
}

func paced(_ client: HTTPClient, url: String, apiKey: String, rate: Int, seconds: Int, connections: Int) async -> (Double, Latencies, Int) {
    let total = rate * seconds
    let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
    let start = ContinuousClock.now + .milliseconds(50)
    let results = await withTaskGroup(of: ([Int64], Int).self) { group in
        for writer in 0..<connections {
            group.addTask {
                var latencies: [Int64] = []
                var failures = 0
                var index = writer
                while index < total {
                    let scheduled = start + interval * index
                    try? await Task.sleep(until: scheduled, clock: .continuous)
                    if !(await post(client, url: url, apiKey: apiKey, body: orderBody(index + 1_000_000, writer: writer))) { failures += 1 }
                    let elapsed = ContinuousClock.now - scheduled
                    latencies.append(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
                    index += connections
                }
                return (latencies, failures)
            }
        }
        var all = Latencies()
        var failures = 0
        for await (latencies, failed) in group {
            all.add(latencies)
            failures += failed
        }
        return (all, failures)
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(total) / seconds, results.0, results.1)
}

let options = Options(arguments: CommandLine.arguments)
// The same log handler as the service's executable (LOG_FORMAT=text), at error level.
let logger = LoggingSetup.logger(service: "order-router", settings: HTTPServerSettings(host: "127.0.0.1", port: 0, logLevel: .error))
let httpClient = HTTPClient(
    eventLoopGroupProvider: .singleton,
    configuration: .init(connectionPool: .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: max(options.connections, 8)))
)

var serviceTask: Task<Void, any Error>?
let base: String
let apiKey: String
let adminToken: String
if let url = options.url {
    base = url
    apiKey = options.apiKey
    adminToken = options.adminToken
} else {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("orderbench-\(UUID().uuidString)").path
    let port = 18_000 + Int.random(in: 0..<20_000)
    apiKey = "bench-key"
    adminToken = "bench-admin"
    let configuration = OrderRouterConfiguration(
        http: HTTPServerSettings(host: "127.0.0.1", port: port, logLevel: .error),
        adminToken: adminToken,
        operatorKeys: try OperatorKeyStore(developmentKeys: "op-bench:\(apiKey)"),
        journalPath: folder + "/journal.log",
        maxBatchOrders: max(OrderRouterConfiguration.defaultMaxBatchOrders, options.batch)
    )
    let built = try await OrderRouterApplication.build(configuration: configuration, pipeline: MemoryPipeline(retention: PipelineRetention(maxLength: 100_000)), logger: logger)
    serviceTask = Task { try await built.application.runService() }
    base = "http://127.0.0.1:\(port)"
    var healthy = false
    for _ in 0..<200 where !healthy {
        try await Task.sleep(for: .milliseconds(50))
        var request = HTTPClientRequest(url: base + "/healthz")
        request.method = .GET
        if let response = try? await httpClient.execute(request, timeout: .seconds(1)) {
            _ = try? await response.body.collect(upTo: 1 << 16)
            healthy = response.status.code == 200
        }
    }
    guard healthy else { fatalError("in-process order-router did not start") }
    print("order-router in process on \(base), journal \(folder)/journal.log (fsync per group commit), memory pipeline")
}

try await createMarkets(httpClient, base: base, adminToken: adminToken)
let url = base + "/orders"

/// A whole HTTP/1.1 `POST` of a JSON body with the operator's key (the raw client's bytes).
func postRequestBytes(path: String, body: some Collection<UInt8>, host: String, apiKey: String) -> [UInt8] {
    let head = "POST \(path) HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nX-Api-Key: \(apiKey)\r\nContent-Length: \(body.count)\r\n\r\n"
    return Array(head.utf8) + Array(body)
}

/// The whole HTTP/1.1 request of order `index`.
func orderRequestBytes(_ index: Int, connections: Int, host: String, apiKey: String) -> [UInt8] {
    postRequestBytes(path: "/orders", body: orderBody(index, writer: index % connections).readableBytesView, host: host, apiKey: apiKey)
}

/// The whole HTTP/1.1 request of batch `index`: `size` orders in one `POST /orders/batch`.
func batchRequestBytes(_ index: Int, size: Int, connections: Int, host: String, apiKey: String) -> [UInt8] {
    var body = Array(#"{"orders":["#.utf8)
    for item in 0..<size {
        if item > 0 { body.append(UInt8(ascii: ",")) }
        body.append(contentsOf: orderBody(index * size + item, writer: index % connections).readableBytesView)
    }
    body.append(contentsOf: "]}".utf8)
    return postRequestBytes(path: "/orders/batch", body: body, host: host, apiKey: apiKey)
}

/// Host and port of the service, for the raw client's sockets.
func rawTarget() -> (host: String, port: Int) {
    guard let components = URLComponents(string: base), let host = components.host, let port = components.port else {
        fatalError("cannot read host and port from \(base)")
    }
    return (host, port)
}

if options.client == "raw", options.batch > 0 {
    let (host, port) = rawTarget()
    let connections = options.connections
    let size = options.batch
    let hostHeader = "\(host):\(port)"
    let key = apiKey
    let load = EpollHTTPLoad(host: host, port: UInt16(port), connections: connections, expectedStatus: 200) { index in
        batchRequestBytes(index, size: size, connections: connections, host: hostHeader, apiKey: key)
    }
    _ = try await load.closedLoop(total: max(1, 5_000 / size))
    let requests = max(1, options.orders / size)
    let closed = try await load.closedLoop(total: requests, firstIndex: 1_000_000)
    var latencies = Latencies()
    latencies.add(closed.latencies)
    // A 200 answers the batch, not each order: the service's own counters say how many were placed.
    var metricsRequest = HTTPClientRequest(url: base + "/metrics")
    metricsRequest.method = .GET
    let metricsResponse = try await httpClient.execute(metricsRequest, timeout: .seconds(10))
    let metricsText = String(buffer: try await metricsResponse.body.collect(upTo: 1 << 22))
    func counter(_ name: String) -> Int {
        metricsText.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }
    print("order-router counted \(counter("order_router_orders_accepted_total")) orders placed and \(counter("order_router_orders_rejected_total")) refused (warm-up included)")
    print("closed loop (raw client, batches of \(size)): \(closed.completed * size) orders in \(closed.completed) requests over \(connections) connections: \(String(format: "%.0f", Double(closed.completed * size) / closed.seconds)) orders/s  (per request: \(latencies.summary))  failures \(closed.failures)")
    try await httpClient.shutdown().get()
    serviceTask?.cancel()
    exit(0)
}

if options.client == "raw" {
    let (host, port) = rawTarget()
    let connections = options.connections
    let hostHeader = "\(host):\(port)"
    let key = apiKey
    let probe = ProcessInfo.processInfo.environment["ORDERBENCH_PROBE"] != nil
    let load = EpollHTTPLoad(host: host, port: UInt16(port), connections: connections, expectedStatus: probe ? 200 : 201) { index in
        probe ? Array("GET /healthz HTTP/1.1\r\nHost: \(hostHeader)\r\n\r\n".utf8) : orderRequestBytes(index, connections: connections, host: hostHeader, apiKey: key)
    }
    _ = try await load.closedLoop(total: 5_000)
    let closed = try await load.closedLoop(total: options.orders)
    var closedLatencies = Latencies()
    closedLatencies.add(closed.latencies)
    print("closed loop (raw client): \(closed.completed) orders over \(connections) connections: \(String(format: "%.0f", Double(closed.completed) / closed.seconds)) orders/s  (\(closedLatencies.summary))  failures \(closed.failures)")
    let paced = try await load.paced(rate: options.rate, seconds: options.seconds, firstIndex: 1_000_000)
    var pacedLatencies = Latencies()
    pacedLatencies.add(paced.latencies)
    print("paced \(options.rate) orders/s for \(options.seconds) s (raw client): achieved \(String(format: "%.0f", Double(paced.completed) / paced.seconds)) orders/s  (\(pacedLatencies.summary), from the scheduled send time)  failures \(paced.failures)")
    try await httpClient.shutdown().get()
    serviceTask?.cancel()
    exit(0)
}
// Warm-up: connections, allocations.
_ = await closedLoop(httpClient, url: url, apiKey: apiKey, orders: 5_000, connections: options.connections)

let (throughput, closedLatencies, closedFailures) = await closedLoop(httpClient, url: url, apiKey: apiKey, orders: options.orders, connections: options.connections)
print("closed loop: \(options.orders) orders over \(options.connections) connections: \(String(format: "%.0f", throughput)) orders/s  (\(closedLatencies.summary))  failures \(closedFailures)")

let (pacedRate, pacedLatencies, pacedFailures) = await paced(httpClient, url: url, apiKey: apiKey, rate: options.rate, seconds: options.seconds, connections: options.connections)
print("paced \(options.rate) orders/s for \(options.seconds) s: achieved \(String(format: "%.0f", pacedRate)) orders/s  (\(pacedLatencies.summary), from the scheduled send time)  failures \(pacedFailures)")

try await httpClient.shutdown().get()
serviceTask?.cancel()
