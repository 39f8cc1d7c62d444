import Foundation
import HTTPTypes
import HummingbirdTesting
import MarketEngine
import OrderRouterService
import Testing

@Suite("REST batch order entry")
struct OrderBatchTests {
    /// One order of a batch body.
    static func order(market: String = "m1", outcome: String = "m1-yes", side: String, shares: String, price: String,
                      clientOrderId: String? = nil) -> String {
        let client = clientOrderId.map { #","clientOrderId":"\#($0)""# } ?? ""
        return #"{"marketId":"\#(market)","outcomeId":"\#(outcome)","side":"\#(side)","type":"LIMIT","shares":"\#(shares)","price":"\#(price)","playerId":"p-1"\#(client)}"#
    }

    static func batch(_ orders: [String]) -> String {
        #"{"orders":[\#(orders.joined(separator: ","))]}"#
    }

    @Test("each order of a batch is placed or refused on its own, answered in order, and the accepted ones survive a restart")
    func mixedBatch() async throws {
        let journal = Fixture.journalPath()
        let placedIds: [String] = try await Fixture.withService(journalPath: journal) { _, client in
            try await client.createBinaryMarket("m1")
            let response = try await client.call(.post, "/orders/batch", apiKey: Fixture.key1, json: Self.batch([
                Self.order(side: "SELL", shares: "100", price: "0.60", clientOrderId: "c-1"),
                Self.order(side: "SELL", shares: "5", price: "0.655"),
                Self.order(market: "nope", side: "SELL", shares: "5", price: "0.60"),
                Self.order(side: "BUY", shares: "10", price: "0.55"),
                // The same client order id again: the first order, unchanged, with 200.
                Self.order(side: "SELL", shares: "50", price: "0.61", clientOrderId: "c-1"),
                Self.order(side: "HOLD", shares: "5", price: "0.50"),
            ]))
            #expect(response.status == .ok)
            let results = try #require(response["results"] as? [[String: Any]])
            #expect(results.map { ($0["status"] as? NSNumber)?.intValue } == [201, 422, 404, 201, 200, 422])
            let codes = results.map { ($0["error"] as? [String: Any])?["code"] as? String }
            #expect(codes == [nil, "invalid_price", "unknown_market", nil, nil, "invalid_order"])
            #expect(results.allSatisfy { ($0["error"] as? [String: Any]).map { ($0["message"] as? String)?.isEmpty == false } ?? true })
            let orders = results.map { $0["order"] as? [String: Any] }
            let first = try #require(orders[0])
            #expect(first["status"] as? String == "OPEN")
            #expect(first["shares"] as? String == "100")
            #expect(first["operatorId"] as? String == "op-1")
            #expect(orders[4]?["id"] as? String == first["id"] as? String)
            #expect(orders[4]?["shares"] as? String == "100")
            #expect(orders[3]?["price"] as? String == "0.55")

            let book = try await client.book(market: "m1", outcome: "m1-yes")
            let asks = try #require(book["asks"] as? [[String: Any]])
            let bids = try #require(book["bids"] as? [[String: Any]])
            #expect(asks.count == 1)
            #expect((asks.first?["shares"] as? NSNumber)?.intValue == 100)
            #expect(bids.count == 1)
            #expect((bids.first?["shares"] as? NSNumber)?.intValue == 10)

            // Another operator trades against what the batch left resting.
            let taker = try await client.limit(Fixture.key2, market: "m1", outcome: "m1-yes", side: "BUY", shares: "40", price: "0.62")
            #expect(taker["status"] as? String == "FILLED")
            #expect(taker["avgFillPrice"] as? String == "0.6")
            return [first["id"] as? String, orders[3]?["id"] as? String].compactMap { $0 }
        }
        #expect(placedIds.count == 2)
        // A new process on the same journal has the batch's orders as they were left.
        try await Fixture.withService(journalPath: journal) { _, client in
            let seller = try await client.call(.get, "/orders/\(placedIds[0])", apiKey: Fixture.key1)
            #expect(seller["status"] as? String == "PARTIALLY_FILLED")
            #expect(seller["remainingShares"] as? String == "60")
            let buyer = try await client.call(.get, "/orders/\(placedIds[1])", apiKey: Fixture.key1)
            #expect(buyer["status"] as? String == "OPEN")
            let list = try await client.call(.get, "/orders?marketId=m1", apiKey: Fixture.key1)
            #expect((list["orders"] as? [Any])?.count == 2)
        }
    }

    @Test("orders of one batch meet each other as consecutive orders would: self-trade prevention cancels the resting one")
    func ordersOfOneBatchInteract() async throws {
        try await Fixture.withService { _, client in
            try await client.createBinaryMarket("m1")
            let response = try await client.call(.post, "/orders/batch", apiKey: Fixture.key1, json: Self.batch([
                Self.order(side: "SELL", shares: "30", price: "0.60"),
                Self.order(side: "BUY", shares: "10", price: "0.60"),
            ]))
            let results = try #require(response["results"] as? [[String: Any]])
            #expect(results.map { ($0["status"] as? NSNumber)?.intValue } == [201, 201])
            let firstId = try #require((results[0]["order"] as? [String: Any])?["id"] as? String)
            // The batch's answer shows each order as it stood when it was placed...
            #expect((results[0]["order"] as? [String: Any])?["status"] as? String == "OPEN")
            // ...and the engine cancelled it when the same operator's buy reached it.
            let resting = try await client.call(.get, "/orders/\(firstId)", apiKey: Fixture.key1)
            #expect(resting["status"] as? String == "CANCELLED")
            let book = try await client.book(market: "m1", outcome: "m1-yes")
            #expect((book["asks"] as? [Any])?.isEmpty == true)
            #expect((book["bids"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("a batch whose orders are all refused is answered at once, one error per order, and changes nothing")
    func allRefused() async throws {
        try await Fixture.withService { built, client in
            try await client.createBinaryMarket("m1")
            let engineRefusals = try await client.call(.post, "/orders/batch", apiKey: Fixture.key1, json: Self.batch([
                Self.order(market: "nope", side: "BUY", shares: "1", price: "0.40"),
                Self.order(side: "BUY", shares: "1", price: "0.401"),
            ]))
            #expect(engineRefusals.status == .ok)
            let engineResults = try #require(engineRefusals["results"] as? [[String: Any]])
            #expect(engineResults.map { ($0["status"] as? NSNumber)?.intValue } == [404, 422])
            let fieldRefusals = try await client.call(.post, "/orders/batch", apiKey: Fixture.key1, json: Self.batch([
                Self.order(side: "HOLD", shares: "1", price: "0.40"),
                Self.order(side: "BUY", shares: "lots", price: "0.40"),
            ]))
            let fieldResults = try #require(fieldRefusals["results"] as? [[String: Any]])
            #expect(fieldResults.map { ($0["error"] as? [String: Any])?["code"] as? String } == ["invalid_order", "invalid_decimal"])
            let orders = try await client.call(.get, "/orders", apiKey: Fixture.key1)
            #expect((orders["orders"] as? [Any])?.isEmpty == true)
            // Only the market's creation was journaled.
            #expect(await built.core.snapshot(at: 0).nextSequence == 2)
        }
    }

    @Test("bad batches are refused whole with the JSON error and place nothing")
    func refusedBatches() async throws {
        try await Fixture.withService { _, client in
            try await client.createBinaryMarket("m1")
            let good = Self.order(side: "BUY", shares: "5", price: "0.40")
            let tooMany = Self.batch(Array(repeating: good, count: OrderRouterConfiguration.defaultMaxBatchOrders + 1))
            let cases: [(json: String, status: HTTPResponse.Status, code: String)] = [
                (#"{"orders":[]}"#, .unprocessableContent, "empty_batch"),
                (tooMany, .unprocessableContent, "batch_too_large"),
                (#"{"orders":["#, .badRequest, "malformed_json"),
                (#"{"orders":{"marketId":"m1"}}"#, .badRequest, "malformed_json"),
                (#"{"order":[]}"#, .badRequest, "malformed_json"),
                // One order without its outcome spoils the whole body, the good one included.
                (Self.batch([good, #"{"marketId":"m1","side":"BUY","shares":"5","price":"0.40","playerId":"p-1"}"#]), .badRequest, "malformed_json"),
            ]
            for item in cases {
                let response = try await client.call(.post, "/orders/batch", apiKey: Fixture.key1, json: item.json)
                #expect(response.status == item.status, "\(item.json.prefix(80))")
                #expect(response.errorCode == item.code, "\(item.json.prefix(80))")
            }
            let missingKey = try await client.call(.post, "/orders/batch", json: Self.batch([good]))
            #expect(missingKey.status == .unauthorized)
            #expect(missingKey.errorCode == "missing_api_key")
            let wrongKey = try await client.call(.post, "/orders/batch", apiKey: "not-a-key", json: Self.batch([good]))
            #expect(wrongKey.status == .unauthorized)
            #expect(wrongKey.errorCode == "invalid_api_key")

            // The batch path takes POST only; GET does not read it as an order id.
            let wrongMethod = try await client.call(.get, "/orders/batch", apiKey: Fixture.key1)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.errorCode == "method_not_allowed")

            let orders = try await client.call(.get, "/orders", apiKey: Fixture.key1)
            #expect((orders["orders"] as? [Any])?.isEmpty == true)
            let book = try await client.book(market: "m1", outcome: "m1-yes")
            #expect((book["bids"] as? [Any])?.isEmpty == true)

            // The largest batch allowed goes through.
            let full = Self.batch(Array(repeating: good, count: OrderRouterConfiguration.defaultMaxBatchOrders))
            let accepted = try await client.call(.post, "/orders/batch", apiKey: Fixture.key1, json: full)
            #expect(accepted.status == .ok)
            #expect((accepted["results"] as? [[String: Any]])?.count == OrderRouterConfiguration.defaultMaxBatchOrders)
        }
    }

    @Test("a batch body outside the fast reader's subset gets the same answers through JSONDecoder")
    func escapedStringsTakeTheSlowPath() async throws {
        try await Fixture.withService { _, client in
            try await client.createBinaryMarket("m1")
            // An escaped string and numbers instead of decimal strings: JSONDecoder reads it.
            let response = try await client.call(.post, "/orders/batch", apiKey: Fixture.key1, json: """
                {"orders":[{"marketId":"m1","outcomeId":"m1-yes","side":"BUY","type":"LIMIT","shares":5,"price":0.4,"playerId":"p\\u002d1"},
                           {"marketId":"m1","outcomeId":"m1-no","side":"SELL","shares":"2","price":"1.5","playerId":"p-1"}]}
                """)
            #expect(response.status == .ok)
            let results = try #require(response["results"] as? [[String: Any]])
            #expect(results.map { ($0["status"] as? NSNumber)?.intValue } == [201, 422])
            #expect((results[0]["order"] as? [String: Any])?["playerId"] as? String == "p-1")
            #expect((results[0]["order"] as? [String: Any])?["shares"] as? String == "5")
        }
    }
}
