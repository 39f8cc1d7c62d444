import AsyncHTTPClient
import Foundation
import MarketEngine
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL in the middle of a stream of orders, restart on the same journal: every
/// acknowledged order is there, and books and positions equal an engine rebuilt from the
/// journal.
@Suite("crash recovery of the real executable")
struct CrashRecoveryTests {
    struct Acknowledged: Sendable {
        var id: String
        var apiKey: String
        var clientOrderId: String
        var side: String
        var shares: String
        var price: String
        var filledShares: FixedDecimal
    }

    final class AcknowledgedLog: Sendable {
        let items = Mutex<[Acknowledged]>([])
    }

    struct Answer {
        var status: UInt
        var object: [String: Any]
    }

    static func request(_ client: HTTPClient, port: Int, _ method: HTTPMethod, _ path: String,
                        apiKey: String? = nil, admin: Bool = false, json: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let apiKey { request.headers.add(name: "X-Api-Key", value: apiKey) }
        if admin { request.headers.add(name: "Authorization", value: "Bearer \(Fixture.adminToken)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await client.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 22)
        let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        return Answer(status: response.status.code, object: object)
    }

    /// The executable on `journal`, healthy; `pipeline` overrides the memory backend's variables.
    static func start(journal: String, folder: String, run: Int, pipeline: [String: String] = [:]) async throws -> ServiceProcess {
        let path = try ServiceProcess.executable(named: "order-router")
        let process = try ServiceProcess(
            path: path,
            environment: [
                "ORDER_ROUTER_ADMIN_TOKEN": Fixture.adminToken,
                "OPERATOR_API_KEYS": Fixture.developmentKeys,
                "ORDER_ROUTER_JOURNAL_PATH": journal,
                "STREAMING_PIPELINE_BACKEND": "memory",
                "LOG_LEVEL": "info",
            ].merging(pipeline) { $1 },
            port: try ServiceProcess.freePort(),
            logPath: "\(folder)/run-\(run).log"
        )
        let client = HTTPClient.shared
        let ready = await eventually(timeout: .seconds(30)) {
            guard process.isRunning else { return true }
            return (try? await request(client, port: process.port, .GET, "/healthz").status) == 200
        }
        guard ready, process.isRunning else {
            process.kill()
            throw ProcessError("order-router did not become healthy: \(process.log)")
        }
        return process
    }

    @Test("SIGKILL mid-stream loses no acknowledged order; books and positions rebuild exactly")
    func killAndRestart() async throws {
        let journal = Fixture.journalPath()
        let folder = URL(fileURLWithPath: journal).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let client = HTTPClient.shared
        let first = try await Self.start(journal: journal, folder: folder, run: 1)
        defer { first.kill() }
        for market in ["m1", "m2"] {
            let created = try await Self.request(client, port: first.port, .POST, "/markets", admin: true, json: #"{"marketId":"\#(market)"}"#)
            #expect(created.status == 201)
        }

        // Eight writers cross each other around 0.50 on two markets until the kill.
        let acknowledged = AcknowledgedLog()
        let port = first.port
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    let apiKey = writer % 2 == 0 ? Fixture.key1 : Fixture.key2
                    var index = 0
                    while true {
                        index += 1
                        let market = index % 2 == 0 ? "m1" : "m2"
                        let outcome = index % 3 == 0 ? "\(market)-no" : "\(market)-yes"
                        let side = (writer + index) % 2 == 0 ? "BUY" : "SELL"
                        let price = "0.\(45 + (index * 7 + writer) % 11)"
                        let shares = "\(1 + (index * 13 + writer) % 20)"
                        let clientOrderId = "w\(writer)-\(index)"
                        let json = """
                            {"marketId":"\(market)","outcomeId":"\(outcome)","side":"\(side)","type":"LIMIT","shares":"\(shares)","price":"\(price)","playerId":"p-\(writer)","clientOrderId":"\(clientOrderId)"}
                            """
                        guard let answer = try? await Self.request(client, port: port, .POST, "/orders", apiKey: apiKey, json: json) else { return }
                        guard answer.status == 201, let id = answer.object["id"] as? String,
                            let filled = (answer.object["filledShares"] as? String).flatMap({ try? FixedDecimal($0) })
                        else { return }
                        acknowledged.items.withLock {
                            $0.append(Acknowledged(id: id, apiKey: apiKey, clientOrderId: clientOrderId, side: side, shares: shares,
                                                   price: price, filledShares: filled))
                        }
                    }
                }
            }
            group.addTask {
                _ = await eventually(timeout: .seconds(20)) { acknowledged.items.withLock { $0.count } >= 1000 }
                first.kill(SIGKILL)
            }
            try await group.waitForAll()
        }
        let acked = acknowledged.items.withLock { $0 }
        #expect(acked.count >= 1000)

        let second = try await Self.start(journal: journal, folder: folder, run: 2)
        defer { second.kill() }

        // The reference: an engine rebuilt in process from the journal the crash left.
        let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map(String.init)
        let reference = try MarketEngine.rebuild(fromJournal: lines, clock: { 0 })
        #expect(reference.nextSequence >= UInt64(acked.count + 3))
        let encoder = EventJSONEncoder()
        for market in ["m1", "m2"] {
            for outcome in ["\(market)-yes", "\(market)-no"] {
                let served = try await Self.request(client, port: second.port, .GET, "/markets/\(market)/outcomes/\(outcome)/book", apiKey: Fixture.key1)
                var bytes: [UInt8] = []
                encoder.write(try reference.orderBook(marketId: market, outcomeId: outcome), into: &bytes)
                let expected = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
                #expect(NSDictionary(dictionary: served.object).isEqual(to: expected), "book \(outcome)")
            }
        }
        for (apiKey, operatorId) in [(Fixture.key1, "op-1"), (Fixture.key2, "op-2")] {
            let served = try await Self.request(client, port: second.port, .GET, "/positions", apiKey: apiKey)
            let positions = try #require(served.object["positions"] as? [[String: Any]])
            let expected = reference.positions(operatorId: operatorId)
            #expect(positions.count == expected.count)
            for (position, view) in zip(positions, expected) {
                #expect(position["id"] as? String == view.id)
                #expect(position["shares"] as? String == view.shares.description)
                #expect(position["totalCost"] as? String == view.totalCost.description)
                #expect(position["realizedPnl"] as? String == view.realizedPnl.description)
            }
        }

        // Every acknowledged order survived, as acknowledged or further filled.
        var missing = 0
        for order in acked {
            let served = try await Self.request(client, port: second.port, .GET, "/orders/\(order.id)", apiKey: order.apiKey)
            guard served.status == 200 else {
                missing += 1
                continue
            }
            #expect(served.object["side"] as? String == order.side)
            #expect(served.object["shares"] as? String == (try FixedDecimal(order.shares)).description)
            #expect(served.object["price"] as? String == (try FixedDecimal(order.price)).description)
            let filled = try FixedDecimal(served.object["filledShares"] as? String ?? "x")
            #expect(filled >= order.filledShares)
        }
        #expect(missing == 0)
        // A retry of an acknowledged order after the restart is recognised (200, same id).
        let sample = try #require(acked.last)
        let retry = try await Self.request(client, port: second.port, .POST, "/orders", apiKey: sample.apiKey, json: """
            {"marketId":"m1","outcomeId":"m1-yes","side":"BUY","type":"LIMIT","shares":"1","price":"0.5","playerId":"p","clientOrderId":"\(sample.clientOrderId)"}
            """)
        #expect(retry.status == 200)
        #expect(retry.object["id"] as? String == sample.id)
        try? FileManager.default.removeItem(atPath: folder)
    }
}
