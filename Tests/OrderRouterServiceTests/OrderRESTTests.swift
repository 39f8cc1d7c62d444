import Foundation
import HTTPTypes
import HummingbirdTesting
import MarketEngine
import OrderRouterService
import Testing

@Suite("REST order entry")
struct OrderRESTTests {
    @Test("a crossing order fills against the resting one: orders, book and positions")
    func placeAndMatch() async throws {
        try await Fixture.withService { _, client in
            try await client.createBinaryMarket("m1")
            let resting = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "SELL", shares: "100", price: "0.60")
            #expect(resting.status == .created)
            #expect(resting["status"] as? String == "OPEN")
            #expect(resting["shares"] as? String == "100")
            let taker = try await client.call(.post, "/orders", apiKey: Fixture.key2, json: """
                {"marketId":"m1","outcomeId":"m1-yes","side":"BUY","type":"LIMIT","shares":40,"price":0.62,"playerId":"p-9"}
                """)
            #expect(taker.status == .created)
            #expect(taker["status"] as? String == "FILLED")
            #expect(taker["avgFillPrice"] as? String == "0.6")
            #expect(taker["filledShares"] as? String == "40")

            let makerId = try #require(resting["id"] as? String)
            let maker = try await client.call(.get, "/orders/\(makerId)", apiKey: Fixture.key1)
            #expect(maker["status"] as? String == "PARTIALLY_FILLED")
            #expect(maker["remainingShares"] as? String == "60")

            let book = try await client.book(market: "m1", outcome: "m1-yes")
            let asks = try #require(book["asks"] as? [[String: Any]])
            #expect(asks.count == 1)
            #expect((asks.first?["shares"] as? NSNumber)?.intValue == 60)
            #expect((book["bids"] as? [Any])?.isEmpty == true)

            let positions = try await client.call(.get, "/positions?marketId=m1", apiKey: Fixture.key2)
            let list = try #require(positions["positions"] as? [[String: Any]])
            #expect(list.count == 1)
            #expect(list.first?["shares"] as? String == "40")
            #expect(list.first?["totalCost"] as? String == "24")
            let sellerPositions = try await client.call(.get, "/positions", apiKey: Fixture.key1)
            #expect((sellerPositions["positions"] as? [[String: Any]])?.first?["shares"] as? String == "-40")
        }
    }

    @Test("bad orders get 4xx with the JSON error and leave the book unchanged")
    func rejections() async throws {
        try await Fixture.withService { _, client in
            try await client.createBinaryMarket("m1")
            _ = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "10", price: "0.40")
            let before = try await client.book(market: "m1", outcome: "m1-yes")

            let cases: [(json: String, status: HTTPResponse.Status, code: String)] = [
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"BUY","type":"LIMIT","shares":"5","price":"0.655","playerId":"p"}"#, .unprocessableContent, "invalid_price"),
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"BUY","type":"LIMIT","shares":"5","price":"1","playerId":"p"}"#, .unprocessableContent, "invalid_price"),
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"BUY","type":"LIMIT","shares":"5","price":"0","playerId":"p"}"#, .unprocessableContent, "invalid_price"),
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"SELL","type":"LIMIT","shares":"0","price":"0.30","playerId":"p"}"#, .unprocessableContent, "invalid_shares"),
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"SELL","type":"LIMIT","shares":"-3","price":"0.30","playerId":"p"}"#, .unprocessableContent, "invalid_shares"),
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"SELL","type":"LIMIT","shares":"abc","price":"0.30","playerId":"p"}"#, .unprocessableContent, "invalid_decimal"),
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"HOLD","type":"LIMIT","shares":"1","price":"0.30","playerId":"p"}"#, .unprocessableContent, "invalid_order"),
                (#"{"marketId":"nope","outcomeId":"m1-yes","side":"SELL","type":"LIMIT","shares":"1","price":"0.30","playerId":"p"}"#, .notFound, "unknown_market"),
                (#"{"marketId":"m1","outcomeId":"maybe","side":"SELL","type":"LIMIT","shares":"1","price":"0.30","playerId":"p"}"#, .notFound, "unknown_outcome"),
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"SELL","type":"MARKET","shares":"1","price":"0.30","playerId":"p"}"#, .unprocessableContent, "invalid_price"),
                (#"{"marketId":"m1","outcomeId":"m1-yes","side":"SELL""#, .badRequest, "malformed_json"),
                (#"{"marketId":"m1","side":"SELL"}"#, .badRequest, "malformed_json"),
            ]
            for item in cases {
                let response = try await client.call(.post, "/orders", apiKey: Fixture.key2, json: item.json)
                #expect(response.status == item.status, "\(item.json)")
                #expect(response.errorCode == item.code, "\(item.json)")
            }
            let after = try await client.book(market: "m1", outcome: "m1-yes")
            // The book's timestamp is the time of the engine's last command; the rest must match.
            var beforeBook = before.object, afterBook = after.object
            beforeBook["timestamp"] = nil
            afterBook["timestamp"] = nil
            #expect(NSDictionary(dictionary: beforeBook).isEqual(to: afterBook))
            #expect((after["bids"] as? [Any])?.count == 1)
        }
    }

    @Test("orders on a suspended or closed market are refused with 409")
    func closedMarket() async throws {
        try await Fixture.withService { _, client in
            try await client.createBinaryMarket("m1")
            let suspended = try await client.call(.post, "/markets/m1/status", admin: Fixture.adminToken, json: #"{"status":"SUSPENDED"}"#)
            #expect(suspended.status == .ok)
            #expect(suspended["status"] as? String == "SUSPENDED")
            let refused = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "1", price: "0.5")
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "market_not_open")
            _ = try await client.call(.post, "/markets/m1/status", admin: Fixture.adminToken, json: #"{"status":"CLOSED"}"#)
            let closed = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "1", price: "0.5")
            #expect(closed.errorCode == "market_not_open")
            let illegal = try await client.call(.post, "/markets/m1/status", admin: Fixture.adminToken, json: #"{"status":"OPEN"}"#)
            #expect(illegal.status == .conflict)
            #expect(illegal.errorCode == "illegal_transition")
            let badStatus = try await client.call(.post, "/markets/m1/status", admin: Fixture.adminToken, json: #"{"status":"PAUSED"}"#)
            #expect(badStatus.status == .unprocessableContent)
            let resolved = try await client.call(.post, "/markets/m1/status", admin: Fixture.adminToken, json: #"{"status":"RESOLVED","winningOutcomeId":"m1-no"}"#)
            #expect(resolved["winningOutcomeId"] as? String == "m1-no")
        }
    }

    @Test("cancel: owner only (403 for another operator), 404 unknown, 409 twice; GET hides others' orders")
    func cancel() async throws {
        try await Fixture.withService { _, client in
            try await client.createBinaryMarket("m1")
            let order = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-no", side: "BUY", shares: "5", price: "0.30")
            let id = try #require(order["id"] as? String)
            let foreign = try await client.call(.delete, "/orders/\(id)", apiKey: Fixture.key2)
            #expect(foreign.status == .forbidden)
            #expect(foreign.errorCode == "not_order_owner")
            let hidden = try await client.call(.get, "/orders/\(id)", apiKey: Fixture.key2)
            #expect(hidden.status == .notFound)
            #expect(((try await client.book(market: "m1", outcome: "m1-no"))["bestBid"] as? NSNumber)?.doubleValue == 0.3)

            let cancelled = try await client.call(.delete, "/orders/\(id)", apiKey: Fixture.key1)
            #expect(cancelled.status == .ok)
            #expect(cancelled["status"] as? String == "CANCELLED")
            let again = try await client.call(.delete, "/orders/\(id)", apiKey: Fixture.key1)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "order_not_open")
            let unknown = try await client.call(.delete, "/orders/ord-999", apiKey: Fixture.key1)
            #expect(unknown.status == .notFound)
            #expect((try await client.book(market: "m1", outcome: "m1-no"))["bestBid"] is NSNull)
        }
    }

    @Test("authentication: missing or unknown API key 401, admin routes need the admin token")
    func authentication() async throws {
        try await Fixture.withService { _, client in
            let missing = try await client.call(.post, "/orders", json: #"{"marketId":"m1"}"#)
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "missing_api_key")
            let unknown = try await client.call(.get, "/positions", apiKey: "not-a-key")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.errorCode == "invalid_api_key")
            let noAdmin = try await client.call(.post, "/markets", json: #"{"marketId":"m9"}"#)
            #expect(noAdmin.status == .unauthorized)
            let operatorAsAdmin = try await client.call(.post, "/markets", apiKey: Fixture.key1, json: #"{"marketId":"m9"}"#)
            #expect(operatorAsAdmin.status == .unauthorized)
            let wrongAdmin = try await client.call(.post, "/markets", admin: "guess", json: #"{"marketId":"m9"}"#)
            #expect(wrongAdmin.status == .unauthorized)
            let statusWithoutAdmin = try await client.call(.post, "/markets/m9/status", apiKey: Fixture.key1, json: #"{"status":"CLOSED"}"#)
            #expect(statusWithoutAdmin.status == .unauthorized)
            let readAnonymous = try await client.call(.get, "/markets")
            #expect(readAnonymous.status == .unauthorized)
            let list = try await client.call(.get, "/markets", apiKey: Fixture.key1)
            #expect((list["markets"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("markets: create binary and multi-outcome, read, duplicates 409, bad definitions 422")
    func markets() async throws {
        try await Fixture.withService { _, client in
            let multi = try await client.call(.post, "/markets", admin: Fixture.adminToken, json: """
                {"marketId":"race","title":"Who wins?","outcomes":[{"id":"a","name":"Alice"},{"id":"b","name":"Bob"},{"id":"c","name":"Carol"}],"tickSize":"0.001"}
                """)
            #expect(multi.status == .created)
            #expect((multi["outcomes"] as? [Any])?.count == 3)
            #expect(multi["tickSize"] as? String == "0.001")
            let generated = try await client.call(.post, "/markets", admin: Fixture.adminToken, json: "{}")
            let generatedId = try #require(generated["id"] as? String)
            #expect(generatedId.hasPrefix("mkt-"))
            let duplicate = try await client.call(.post, "/markets", admin: Fixture.adminToken, json: #"{"marketId":"race"}"#)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorCode == "duplicate_market")
            let single = try await client.call(.post, "/markets", admin: Fixture.adminToken, json: #"{"marketId":"x","outcomes":[{"id":"a","name":"A"}]}"#)
            #expect(single.status == .unprocessableContent)
            #expect(single.errorCode == "invalid_market")
            let read = try await client.call(.get, "/markets/race", apiKey: Fixture.key2)
            #expect(read["title"] as? String == "Who wins?")
            let missing = try await client.call(.get, "/markets/none", apiKey: Fixture.key2)
            #expect(missing.status == .notFound)
            let onTick = try await client.limit(Fixture.key1, market: "race", outcome: "b", side: "BUY", shares: "1", price: "0.123")
            #expect(onTick.status == .created)
            let list = try await client.call(.get, "/markets", admin: Fixture.adminToken)
            #expect((list["markets"] as? [Any])?.count == 2)
        }
    }

    @Test("a retried clientOrderId returns the original order with 200 and changes nothing")
    func idempotentRetry() async throws {
        try await Fixture.withService { built, client in
            try await client.createBinaryMarket("m1")
            let first = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "10", price: "0.50", clientOrderId: "c-1")
            #expect(first.status == .created)
            let retry = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "BUY", shares: "99", price: "0.10", clientOrderId: "c-1")
            #expect(retry.status == .ok)
            #expect(retry["id"] as? String == first["id"] as? String)
            #expect(retry["shares"] as? String == "10")
            let otherOperator = try await client.limit(Fixture.key2, market: "m1", outcome: "m1-yes", side: "BUY", shares: "1", price: "0.10", clientOrderId: "c-1")
            #expect(otherOperator.status == .created)
            #expect(otherOperator["id"] as? String != first["id"] as? String)
            let book = try await client.book(market: "m1", outcome: "m1-yes")
            #expect((book["bids"] as? [Any])?.count == 2)
            let orders = try await client.call(.get, "/orders?marketId=m1", apiKey: Fixture.key1)
            #expect((orders["orders"] as? [Any])?.count == 1)
            #expect(await built.core.read { $0.nextSequence } == 4)
        }
    }
}
