import Foundation
import HTTPTypes
import HummingbirdTesting
import MarketEngine
import OrderRouterService
import Pipeline
import Testing

/// The events on `market.{marketId}` have the seed's exact field names and JSON types.
@Suite("events on the pipeline")
struct PipelineEventTests {
    enum Kind { case number, string, integer, nullableNumber, nullableString, object, array }

    static let trade: [String: Kind] = ["marketId": .string, "outcomeId": .string, "price": .number, "shares": .number, "side": .string, "timestamp": .integer]
    static let level: [String: Kind] = ["price": .number, "shares": .number, "orderCount": .integer]
    static let orderBookPayload: [String: Kind] = ["marketId": .string, "outcomeId": .string, "orderBook": .object, "timestamp": .integer]
    static let orderBook: [String: Kind] = [
        "marketId": .string, "outcomeId": .string, "bids": .array, "asks": .array,
        "bestBid": .nullableNumber, "bestAsk": .nullableNumber, "spread": .nullableNumber, "timestamp": .integer,
    ]
    static let pricePayload: [String: Kind] = ["marketId": .string, "prices": .array, "timestamp": .integer]
    static let price: [String: Kind] = [
        "marketId": .string, "outcomeId": .string, "outcomeName": .string, "bestBid": .nullableNumber, "bestAsk": .nullableNumber,
        "lastPrice": .nullableNumber, "midPrice": .nullableNumber, "spread": .nullableNumber, "volume24h": .number,
    ]
    static let status: [String: Kind] = ["marketId": .string, "status": .string, "timestamp": .integer]
    static let positionPayload: [String: Kind] = ["marketId": .string, "operatorId": .string, "position": .object, "timestamp": .integer]
    static let position: [String: Kind] = [
        "id": .string, "marketId": .string, "outcomeId": .string, "operatorId": .string,
        "shares": .string, "avgPrice": .string, "totalCost": .string, "realizedPnl": .string,
    ]
    static let orderPayload: [String: Kind] = ["marketId": .string, "operatorId": .string, "order": .object, "timestamp": .integer]
    static let order: [String: Kind] = [
        "id": .string, "marketId": .string, "outcomeId": .string, "operatorId": .string, "playerId": .string, "side": .string,
        "type": .string, "shares": .string, "price": .nullableString, "filledShares": .string, "avgFillPrice": .nullableString,
        "remainingShares": .string, "status": .string, "transactionId": .nullableString,
    ]

    /// Checks the exact key set and each value's JSON type.
    static func check(_ object: [String: Any], _ shape: [String: Kind], _ context: String) {
        #expect(Set(object.keys) == Set(shape.keys), "\(context): keys \(object.keys.sorted())")
        for (key, kind) in shape {
            let value = object[key]
            let ok: Bool = switch kind {
            case .string: value is String
            case .number: isNumber(value)
            case .integer: isNumber(value) && (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } == true
            case .nullableNumber: value is NSNull || isNumber(value)
            case .nullableString: value is NSNull || value is String
            case .object: value is [String: Any]
            case .array: value is [Any]
            }
            #expect(ok, "\(context).\(key) is not \(kind): \(String(describing: value))")
        }
    }

    static func isNumber(_ value: Any?) -> Bool {
        !(value is String) && (value is NSNumber || value is Int || value is Double)
    }

    @Test("every event type has the seed's field names and types, in command order")
    func seedShapes() async throws {
        let pipeline = MemoryPipeline()
        let subscription = try await pipeline.subscribe("market.>", from: .new)
        try await Fixture.withService(pipeline: pipeline) { _, client in
            try await client.createBinaryMarket("m1")
            _ = try await client.limit(Fixture.key1, market: "m1", outcome: "m1-yes", side: "SELL", shares: "100", price: "0.65")
            _ = try await client.limit(Fixture.key2, market: "m1", outcome: "m1-yes", side: "BUY", shares: "150", price: "0.66")
            _ = try await client.call(.post, "/markets/m1/status", admin: Fixture.adminToken, json: #"{"status":"RESOLVED","winningOutcomeId":"m1-yes"}"#)
        }
        var seen: [String] = []
        var payloads: [[String: Any]] = []
        for try await event in subscription {
            #expect(event.subject == "market.m1")
            let message = try #require(try JSONSerialization.jsonObject(with: Data(event.payload)) as? [String: Any])
            #expect(Set(message.keys) == ["type", "payload"])
            seen.append(try #require(message["type"] as? String))
            payloads.append(try #require(message["payload"] as? [String: Any]))
            if seen.count == expectedTypes.count { break }
        }
        #expect(seen == expectedTypes)
        for (type, payload) in zip(seen, payloads) {
            switch type {
            case "TRADE":
                Self.check(payload, Self.trade, type)
            case "ORDERBOOK_UPDATE":
                Self.check(payload, Self.orderBookPayload, type)
                let book = payload["orderBook"] as? [String: Any] ?? [:]
                Self.check(book, Self.orderBook, "orderBook")
                for level in (book["bids"] as? [[String: Any]] ?? []) + (book["asks"] as? [[String: Any]] ?? []) {
                    Self.check(level, Self.level, "level")
                }
            case "PRICE_UPDATE":
                Self.check(payload, Self.pricePayload, type)
                for price in payload["prices"] as? [[String: Any]] ?? [] { Self.check(price, Self.price, "price") }
            case "MARKET_STATUS":
                Self.check(payload, Self.status, type)
            case "POSITION_UPDATE":
                Self.check(payload, Self.positionPayload, type)
                Self.check(payload["position"] as? [String: Any] ?? [:], Self.position, "position")
            case "ORDER_UPDATE":
                Self.check(payload, Self.orderPayload, type)
                Self.check(payload["order"] as? [String: Any] ?? [:], Self.order, "order")
            default:
                Issue.record("unexpected type \(type)")
            }
        }
        // The fill: TRADE at the resting price with the incoming side.
        let trade = try #require(payloads[seen.firstIndex(of: "TRADE") ?? 0] as [String: Any]?)
        #expect((trade["price"] as? NSNumber)?.doubleValue == 0.65)
        #expect((trade["shares"] as? NSNumber)?.intValue == 100)
        #expect(trade["side"] as? String == "BUY")
    }

    /// create; sell rests; buy fills 100 and rests 50; resolve cancels the rest and settles.
    let expectedTypes = [
        "MARKET_STATUS",
        "ORDER_UPDATE", "ORDERBOOK_UPDATE", "PRICE_UPDATE",
        "TRADE", "ORDER_UPDATE", "ORDER_UPDATE", "POSITION_UPDATE", "POSITION_UPDATE", "ORDERBOOK_UPDATE", "PRICE_UPDATE",
        "MARKET_STATUS", "ORDER_UPDATE", "ORDERBOOK_UPDATE", "PRICE_UPDATE", "POSITION_UPDATE", "POSITION_UPDATE",
    ]
}
