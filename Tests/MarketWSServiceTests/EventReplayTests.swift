import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MarketEngine
import MarketWSService
import NIOCore
import Testing

@Suite(.serialized) struct EventReplayTests {
    static func page(_ client: some TestClientProtocol, key: String, query: String) async throws -> [String: Any] {
        try await client.execute(uri: "/events?\(query)", method: .get, headers: [HTTPField.Name("X-Api-Key")!: key]) { response in
            #expect(response.status == .ok)
            return (try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
        }
    }

    @Test func paginationOverThousandsOfEventsNeverSkipsNorRepeats() async throws {
        let harness = try MarketWSTestHarness()
        var generated: [(UInt64, MarketEvent)] = []
        generated += try await harness.createMarket("m-1")
        generated += try await harness.createMarket("m-2")
        var index = 0
        while generated.count < 3000 {
            let market = index % 3 == 0 ? "m-2" : "m-1"
            let operatorId = ["op-a", "op-b", "op-c"][index % 3]
            let side: OrderSide = index % 2 == 0 ? .buy : .sell
            generated += try await harness.place(market, side, price: side == .buy ? "0.50" : "0.50", shares: 1, operatorId: operatorId)
            index += 1
        }
        let published = generated
        #expect(published.contains { $0.1.operatorId == "op-c" })
        try await harness.built.application.test(.router) { client in
            for (operatorId, key) in [("op-a", "key-a"), ("op-b", "key-b")] {
                for marketId in [nil, "m-1"] as [String?] {
                    var after: UInt64 = 0
                    var seen: [UInt64] = []
                    var pages = 0
                    while true {
                        let body = try await Self.page(client, key: key, query: "after=\(after)&limit=100" + (marketId.map { "&marketId=\($0)" } ?? ""))
                        let events = body["events"] as? [[String: Any]] ?? []
                        #expect(events.count <= 100)
                        for event in events {
                            #expect(event["type"] is String)
                            #expect(event["payload"] is [String: Any])
                            if let owner = (event["payload"] as? [String: Any])?["operatorId"] as? String {
                                #expect(owner == operatorId, "another operator's private event leaked")
                            }
                        }
                        seen += events.compactMap(\.seq)
                        let next = try #require((body["nextAfter"] as? NSNumber)?.uint64Value)
                        #expect(next >= after)
                        pages += 1
                        if body["hasMore"] as? Bool != true { break }
                        #expect(next > after, "a page with more to come always advances")
                        after = next
                        #expect(pages < 200)
                    }
                    let expected = published.filter { event in
                        (marketId == nil || event.1.marketId == marketId) && (event.1.operatorId == nil || event.1.operatorId == operatorId)
                    }.map(\.0)
                    #expect(seen == expected, "\(operatorId) \(marketId ?? "all"): no skip, no repeat")
                    #expect(pages >= expected.count / 100)
                }
            }
        }
    }

    @Test func badReplayRequestsAreRefused() async throws {
        let harness = try MarketWSTestHarness()
        try await harness.built.application.test(.router) { client in
            try await client.execute(uri: "/events", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/events", method: .get, headers: [HTTPField.Name("X-Api-Key")!: "nope"]) { response in
                #expect(response.status == .unauthorized)
            }
            for query in ["after=-1", "after=x", "limit=0", "limit=100000", "marketId=a.b"] {
                try await client.execute(uri: "/events?\(query)", method: .get, headers: [HTTPField.Name("X-Api-Key")!: "key-a"]) { response in
                    #expect(response.status == .badRequest, "\(query)")
                }
            }
            let empty = try await Self.page(client, key: "key-a", query: "after=0")
            #expect((empty["events"] as? [Any])?.isEmpty == true)
            #expect((empty["nextAfter"] as? NSNumber)?.intValue == 0)
            #expect(empty["hasMore"] as? Bool == false)
        }
    }
}
