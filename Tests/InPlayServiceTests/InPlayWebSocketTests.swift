import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InPlayService
import NIOCore
import Pipeline
import SetupDetection
import Testing
import WebSocketTestSupport

@Suite struct InPlayWebSocketTests {
    typealias Support = InPlayTestSupport

    static func build(pipeline: MemoryPipeline = MemoryPipeline()) async throws -> InPlayApplication {
        try await InPlayApplication.build(
            configuration: try Support.configuration(), pipeline: pipeline, logger: Support.logger,
            now: UTCTime(Support.day, hour: 0)
        )
    }

    /// The update's payload, checked to be a `watchlist.update`.
    static func payload(_ text: String) throws -> [String: Any] {
        let message = try Support.object(text)
        #expect(message["type"] as? String == "watchlist.update")
        return try #require(message["payload"] as? [String: Any])
    }

    static func setups(_ payload: [String: Any], symbol: String) throws -> [[String: Any]] {
        let symbols = try #require(payload["symbols"] as? [[String: Any]])
        let entry = try #require(symbols.first { $0["symbol"] as? String == symbol })
        return try #require(entry["setups"] as? [[String: Any]])
    }

    @Test func snapshotOnConnectThenUpdatesFromRESTAndPipeline() async throws {
        let pipeline = MemoryPipeline()
        let service = try await Self.build(pipeline: pipeline)
        try await service.application.test(.live) { client in
            let port = try #require(client.port)
            try await WebSocketProbe.with(url: "ws://127.0.0.1:\(port)/inplay/ws", headers: [.authorization: "Bearer \(Support.token)"]) { probe in

            // Snapshot: one watchlist.update per configured watchlist, in configuration order,
            // every symbol present with no setups yet.
            let first = try Self.payload(try await probe.next())
            let second = try Self.payload(try await probe.next())
            #expect(first["id"] as? String == "momentum")
            #expect(second["id"] as? String == "futures")
            #expect(try Self.setups(first, symbol: "AAPL").isEmpty)
            #expect(try Self.setups(second, symbol: "NQ").isEmpty)
            #expect(first["updated_at"] as? String == "2024-03-19T00:00:00Z")

            // Junk from the client is ignored and does not break the socket.
            probe.send(.text("hello?"))
            probe.send(.binary([0, 1, 2, 255]))

            // REST ingest: a bullish engulfing on AAPL at 10:00 UTC (London only).
            let body = "[" + Support.engulfingPair("AAPL", hour: 10, minute: 0).joined(separator: ",") + "]"
            let response = try await client.execute(
                uri: "/inplay/bars", method: .post,
                headers: [.authorization: "Bearer \(Support.token)", .contentType: "application/json"],
                body: ByteBuffer(string: body)
            )
            #expect(response.status == .accepted)
            let report = try Support.object(String(buffer: response.body))
            #expect(report["accepted"] as? Int == 2)
            #expect(report["updated_watchlists"] as? [String] == ["momentum"])

            let update = try Self.payload(try await probe.next())
            #expect(update["id"] as? String == "momentum")
            #expect(update["updated_at"] as? String == Support.updatedAt(hour: 10, minute: 0))
            let aapl = try Self.setups(update, symbol: "AAPL")
            #expect(aapl.count == 1)
            let setup = try #require(aapl.first)
            #expect(setup["strategy"] as? String == "Engulfing")
            #expect(setup["direction"] as? String == "long")
            #expect(setup["entry"] as? Double == 102)
            #expect(setup["stop"] as? Double == 99.4)
            #expect(setup["target"] as? Double == 107.2)
            #expect(setup["probability"] as? Double == 0.5)
            #expect(setup["session"] as? String == "london")
            #expect(setup["updated_at"] as? String == Support.updatedAt(hour: 10, minute: 0))
            #expect(try Self.setups(update, symbol: "MSFT").isEmpty)

            // Pipeline: the same pattern on ES at 02:00 UTC (Tokyo session), one bar per event.
            try await Support.waitUntil(.seconds(10), "the bar feed to subscribe") { service.barFeed.isSubscribed }
            for bar in Support.engulfingPair("ES", hour: 2, minute: 0) {
                _ = try await pipeline.publish(subject: "marketdata.bars.ES", payload: Array(bar.utf8))
            }
            let futures = try Self.payload(try await probe.next())
            #expect(futures["id"] as? String == "futures")
            let es = try Self.setups(futures, symbol: "ES")
            #expect(es.first?["session"] as? String == "asia")
            #expect(es.first?["entry"] as? Double == 102)

            // A new client gets the current state as its snapshot.
            try await WebSocketProbe.with(url: "ws://127.0.0.1:\(port)/inplay/ws?token=\(Support.token)") { late in
                let lateMomentum = try Self.payload(try await late.next())
                let lateFutures = try Self.payload(try await late.next())
                #expect(try Self.setups(lateMomentum, symbol: "AAPL").count == 1)
                #expect(try Self.setups(lateFutures, symbol: "ES").count == 1)
            }
            }
        }
    }

    @Test func updatesArePublishedOnThePipelinePerWatchlist() async throws {
        let pipeline = MemoryPipeline()
        let service = try await Self.build(pipeline: pipeline)
        let subscription = try await pipeline.subscribe("inplay.>", from: .new)
        try await service.application.test(.live) { client in
            try await Support.waitUntil(.seconds(10), "the bar feed to subscribe") { service.barFeed.isSubscribed }
            for bar in Support.engulfingPair("NQ", hour: 10, minute: 30) {
                _ = try await pipeline.publish(subject: "marketdata.bars.NQ", payload: Array(bar.utf8))
            }
            let event = try #require(try await withThrowingTaskGroup(of: PipelineEvent?.self) { group in
                group.addTask {
                    for try await event in subscription { return event }
                    return nil
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }, "an inplay.* event within 10 s")
            #expect(event.subject == "inplay.futures")
            let message = try Support.object(event.payload)
            #expect(message["type"] as? String == "watchlist.update")
            let payload = try #require(message["payload"] as? [String: Any])
            #expect(try Self.setups(payload, symbol: "NQ").first?["strategy"] as? String == "Engulfing")
        }
    }

    @Test func badBarsOnThePipelineAreSkipped() async throws {
        let pipeline = MemoryPipeline()
        let service = try await Self.build(pipeline: pipeline)
        try await service.application.test(.live) { client in
            try await Support.waitUntil(.seconds(10), "the bar feed to subscribe") { service.barFeed.isSubscribed }
            _ = try await pipeline.publish(subject: "marketdata.bars.ES", payload: Array("not json".utf8))
            _ = try await pipeline.publish(subject: "marketdata.bars.ES", payload: Array(#"{"symbol":"NQ","timestamp":0,"open":1,"high":1,"low":1,"close":1}"#.utf8))
            for bar in Support.engulfingPair("ES", hour: 11, minute: 0) {
                _ = try await pipeline.publish(subject: "marketdata.bars.ES", payload: Array(bar.utf8))
            }
            try await Support.waitUntil(.seconds(10), "the feed to read four events") { service.barFeed.processedCount == 4 }
            let payload = try #require(await service.monitor.payload(for: "futures", session: nil))
            #expect(payload.symbols.first { $0.symbol == "ES" }?.setups.count == 1)
            #expect(payload.symbols.first { $0.symbol == "NQ" }?.setups.isEmpty == true)
        }
    }

    @Test func upgradeWithoutTheTokenIsRefused() async throws {
        let service = try await Self.build()
        try await service.application.test(.live) { client in
            let port = try #require(client.port)
            for (path, headers) in [
                ("/inplay/ws", [(String, String)]()),
                ("/inplay/ws", [("Authorization", "Bearer wrong")]),
                ("/inplay/ws?token=wrong", []),
            ] {
                let socket = TestWebSocketClient(port: port, path: path, headers: headers)
                do {
                    try await socket.waitUntilOpen()
                    Issue.record("\(path) \(headers) must not upgrade")
                    await socket.close()
                } catch let refusal as TestWebSocketClient.UpgradeRefusal {
                    // No socket: 401 with the JSON error body, and the connection closed.
                    #expect(refusal.status == 401, "got \(refusal.head)")
                    #expect(refusal.bodyText.contains(#""error":{"code":"#), "got \(refusal.bodyText)")
                    #expect(refusal.closedByServer)
                }
            }
            // The right token in the header or the query upgrades.
            for (path, headers) in [
                ("/inplay/ws", [("Authorization", "Bearer \(Support.token)")]),
                ("/inplay/ws?token=\(Support.token)", []),
            ] {
                let socket = TestWebSocketClient(port: port, path: path, headers: headers)
                try await socket.waitUntilOpen()
                await socket.close()
            }
        }
    }
}
