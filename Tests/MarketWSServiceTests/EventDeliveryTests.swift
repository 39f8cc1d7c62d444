import Foundation
import Hummingbird
import HummingbirdTesting
import MarketEngine
import MarketWSService
import Synchronization
import Testing

@Suite(.serialized) struct EventDeliveryTests {
    /// Sequences of the published events of `marketId` that `operatorId` may see.
    static func visible(_ published: [(UInt64, MarketEvent)], marketId: String, operatorId: String) -> [UInt64] {
        published.filter { $0.1.marketId == marketId && ($0.1.operatorId == nil || $0.1.operatorId == operatorId) }.map(\.0)
    }

    static func eventSequences(_ client: TestClient) -> [UInt64] {
        client.messages.filter { $0.type != "HEARTBEAT" && $0.type != "SNAPSHOT" }.compactMap(\.seq)
    }

    @Test func privateEventsReachOnlyTheirOwner() async throws {
        let harness = try MarketWSTestHarness()
        try await harness.createMarket("m-1")
        try await harness.built.application.test(.live) { client in
            let port = try #require(client.port)
            try await harness.waitForFeed(1)
            let a = TestClient.connect(port: port, apiKey: "key-a")
            let b = TestClient.connect(port: port, queryKey: "key-b")
            for ws in [a, b] {
                _ = try await ws.next(type: "AUTHENTICATED")
                ws.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":["m-1"]}}"#)
                _ = try await ws.next(type: "SNAPSHOT")
            }
            var published: [(UInt64, MarketEvent)] = []
            published += try await harness.place("m-1", .sell, price: "0.60", shares: 100, operatorId: "op-a")
            published += try await harness.place("m-1", .buy, price: "0.40", shares: 50, operatorId: "op-a")
            published += try await harness.place("m-1", .buy, price: "0.60", shares: 30, operatorId: "op-b")
            published += try await harness.place("m-1", .sell, price: "0.40", shares: 20, operatorId: "op-b")
            published += try await harness.apply(.changeMarketStatus(ChangeMarketStatus(marketId: "m-1", status: .suspended)))
            let last = published.last!.0
            #expect(published.contains { $0.1.type == "ORDER_UPDATE" && $0.1.operatorId == "op-a" })
            #expect(published.contains { $0.1.type == "POSITION_UPDATE" && $0.1.operatorId == "op-a" })
            #expect(published.contains { $0.1.type == "TRADE" })
            for ws in [a, b] {
                _ = try await ws.next { $0.seq == last }
            }
            #expect(Self.eventSequences(a) == Self.visible(published, marketId: "m-1", operatorId: "op-a"))
            #expect(Self.eventSequences(b) == Self.visible(published, marketId: "m-1", operatorId: "op-b"))
            for message in b.messages where ["ORDER_UPDATE", "POSITION_UPDATE"].contains(message.type ?? "") {
                #expect(message.payload["operatorId"] as? String == "op-b", "op-b never sees op-a's private events")
            }
            for message in a.messages where ["ORDER_UPDATE", "POSITION_UPDATE"].contains(message.type ?? "") {
                #expect(message.payload["operatorId"] as? String == "op-a")
            }
            #expect(b.messages.contains { $0.type == "ORDER_UPDATE" }, "op-b gets its own")
            // Public events are the same bytes for both.
            let tradesA = a.texts.filter { $0.contains(#""type":"TRADE""#) }
            let tradesB = b.texts.filter { $0.contains(#""type":"TRADE""#) }
            #expect(!tradesA.isEmpty)
            #expect(tradesA == tradesB)
            // The seed's payload fields are all there, and seq is added at the top level.
            let trade = try #require(a.messages.first { $0.type == "TRADE" })
            #expect(Set(trade.keys) == ["type", "seq", "payload"])
            #expect(Set(trade.payload.keys) == ["marketId", "outcomeId", "price", "shares", "side", "timestamp"])
            await a.close()
            await b.close()
        }
    }

    @Test func snapshotIsConsistentWithItsSequenceThenLiveFollowsWithoutGap() async throws {
        let harness = try MarketWSTestHarness()
        var setup: [(UInt64, MarketEvent)] = []
        setup += try await harness.createMarket("m-1")
        setup += try await harness.place("m-1", .buy, price: "0.45", shares: 10, operatorId: "op-a")
        setup += try await harness.place("m-1", .sell, price: "0.55", shares: 20, operatorId: "op-b")
        let published = setup
        try await harness.built.application.test(.live) { client in
            let port = try #require(client.port)
            try await harness.waitForFeed(published.last!.0)
            let ws = TestClient.connect(port: port, apiKey: "key-a")
            _ = try await ws.next(type: "AUTHENTICATED")
            ws.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":["m-1"]}}"#)
            let snapshot = try await ws.next(type: "SNAPSHOT")
            let snapshotSeq = try #require(snapshot.seq)
            #expect(snapshotSeq == published.last!.0)
            #expect(snapshot.payload["status"] as? String == "OPEN")
            let books = try #require(snapshot.payload["orderBooks"] as? [[String: Any]])
            let yes = try #require(books.first { $0["outcomeId"] as? String == "m-1-yes" })
            let engineBook = try harness.engine.withLock { try $0.orderBook(marketId: "m-1", outcomeId: "m-1-yes") }
            #expect((yes["bids"] as? [[String: Any]])?.count == engineBook.bids.count)
            #expect(((yes["bestBid"] as? NSNumber)?.doubleValue) == 0.45)
            #expect(((yes["bestAsk"] as? NSNumber)?.doubleValue) == 0.55)
            let prices = try #require(snapshot.payload["prices"] as? [[String: Any]])
            #expect(prices.count == 2)

            // Publish while subscribed, concurrently with nothing else: every later event
            // arrives once, with sequences after the snapshot's.
            var live: [(UInt64, MarketEvent)] = []
            for index in 0..<20 {
                live += try await harness.place("m-1", index % 2 == 0 ? .buy : .sell, price: index % 2 == 0 ? "0.44" : "0.56",
                                                shares: 1, operatorId: index % 3 == 0 ? "op-b" : "op-a")
            }
            _ = try await ws.next { $0.seq == live.last!.0 }
            let received = Self.eventSequences(ws)
            #expect(received.allSatisfy { $0 > snapshotSeq })
            #expect(received == Self.visible(live, marketId: "m-1", operatorId: "op-a"))
            await ws.close()
        }
    }

    @Test(arguments: [100_000, 5])
    func resumeAfterReconnectHasNoGapAndNoDuplicate(resumeBuffer: Int) async throws {
        let harness = try MarketWSTestHarness(resumeBuffer: resumeBuffer)
        var setup: [(UInt64, MarketEvent)] = []
        setup += try await harness.createMarket("m-1")
        setup += try await harness.createMarket("m-2")
        let published = setup
        try await harness.built.application.test(.live) { client in
            let port = try #require(client.port)
            try await harness.waitForFeed(published.last!.0)
            let first = TestClient.connect(port: port, apiKey: "key-a")
            _ = try await first.next(type: "AUTHENTICATED")
            first.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":["m-1"]}}"#)
            _ = try await first.next(type: "SNAPSHOT")
            var before: [(UInt64, MarketEvent)] = []
            for index in 0..<5 {
                before += try await harness.place("m-1", .buy, price: "0.30", shares: FixedDecimal(integerLiteral: Int64(index + 1)), operatorId: "op-a")
            }
            _ = try await first.next { $0.seq == before.last!.0 }
            let lastSeen = try #require(Self.eventSequences(first).last)
            await first.close()

            // Missed while disconnected: both markets, both operators.
            var missed: [(UInt64, MarketEvent)] = []
            for index in 0..<12 {
                missed += try await harness.place(index % 2 == 0 ? "m-1" : "m-2", .sell, price: "0.70", shares: 2,
                                                  operatorId: index % 3 == 0 ? "op-b" : "op-a")
            }
            try await harness.waitForFeed(missed.last!.0)

            let second = TestClient.connect(port: port, apiKey: "key-a")
            _ = try await second.next(type: "AUTHENTICATED")
            second.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":["m-1"],"fromSeq":\#(lastSeen)}}"#)
            #expect(try await second.next().type == "SUBSCRIBED")
            let expectedMissed = Self.visible(missed, marketId: "m-1", operatorId: "op-a")
            _ = try await second.next { $0.seq == expectedMissed.last! }
            let after = try await harness.place("m-1", .buy, price: "0.31", shares: 3, operatorId: "op-a")
            _ = try await second.next { $0.seq == after.last!.0 }
            let received = Self.eventSequences(second)
            #expect(!second.messages.contains { $0.type == "SNAPSHOT" }, "a resume replays instead of snapshotting")
            #expect(received == expectedMissed + Self.visible(after, marketId: "m-1", operatorId: "op-a"))

            // The same through the query parameter.
            let third = TestClient.connect(port: port, path: "/ws?fromSeq=\(lastSeen)", apiKey: "key-a")
            _ = try await third.next(type: "AUTHENTICATED")
            third.send(#"{"type":"SUBSCRIBE","payload":{"marketIds":"m-1"}}"#)
            _ = try await third.next { $0.seq == after.last!.0 }
            #expect(Self.eventSequences(third) == received)
            await second.close()
            await third.close()
        }
    }
}
