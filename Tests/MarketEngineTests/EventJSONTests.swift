import Foundation
import MarketEngine
import Testing

@Suite("Event JSON")
struct EventJSONTests {
    enum Kind { case string, number, integer, object, array, null }

    static func kind(of value: Any) -> Kind {
        switch value {
        case is NSNull: return .null
        case is String: return .string
        case is [String: Any]: return .object
        case is [Any]: return .array
        case let number as NSNumber:
            return number.stringValue.contains(".") || number.stringValue.contains("e") ? .number : .integer
        default: return .null
        }
    }

    /// Checks an object's exact key set and each value's JSON type (`.number` accepts integers).
    static func check(_ object: Any?, _ expected: [String: [Kind]], sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
        guard let object = object as? [String: Any] else {
            Issue.record("not an object", sourceLocation: sourceLocation)
            return [:]
        }
        #expect(Set(object.keys) == Set(expected.keys), sourceLocation: sourceLocation)
        for (key, kinds) in expected {
            guard let value = object[key] else { continue }
            var actual = kind(of: value)
            if actual == .integer && kinds.contains(.number) && !kinds.contains(.integer) { actual = .number }
            #expect(kinds.contains(actual), "\(key): \(actual) not in \(kinds)", sourceLocation: sourceLocation)
        }
        return object
    }

    static func message(_ bytes: [UInt8]) throws -> (type: String, payload: [String: Any]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(object.keys) == ["type", "payload"])
        return (try #require(object["type"] as? String), try #require(object["payload"] as? [String: Any]))
    }

    /// A book with bid 0.65 and ask 0.68, then a trade of 150 at 0.62 on No.
    static func scenario() throws -> [MarketEvent] {
        var engine = try Fixture.engine()
        var events: [MarketEvent] = []
        events += try engine.apply(Fixture.limit(.buy, 150, at: "0.65", by: "op-1")).events
        events += try engine.apply(Fixture.limit(.sell, 75, at: "0.68", by: "op-2")).events
        events += try engine.apply(Fixture.limit(.sell, 150, at: "0.62", by: "op-2", outcome: Fixture.no)).events
        events += try engine.apply(Fixture.limit(.buy, 150, at: "0.62", by: "op-1", outcome: Fixture.no)).events
        events += try engine.apply(Fixture.status(.suspended)).events
        return events
    }

    @Test("every event has the seed's exact keys and JSON types")
    func shapes() throws {
        let encoder = EventJSONEncoder()
        var seen = Set<String>()
        let price: [Kind] = [.number, .null]
        for event in try Self.scenario() {
            let (type, payload) = try Self.message(encoder.encode(event))
            #expect(type == event.type)
            seen.insert(type)
            switch type {
            case "TRADE":
                _ = Self.check(payload, ["marketId": [.string], "outcomeId": [.string], "price": [.number],
                                         "shares": [.number], "side": [.string], "timestamp": [.integer]])
            case "ORDERBOOK_UPDATE":
                _ = Self.check(payload, ["marketId": [.string], "outcomeId": [.string], "orderBook": [.object], "timestamp": [.integer]])
                let book = Self.check(payload["orderBook"], [
                    "marketId": [.string], "outcomeId": [.string], "bids": [.array], "asks": [.array],
                    "bestBid": price, "bestAsk": price, "spread": price, "timestamp": [.integer],
                ])
                for level in (book["bids"] as? [Any] ?? []) + (book["asks"] as? [Any] ?? []) {
                    _ = Self.check(level, ["price": [.number], "shares": [.number], "orderCount": [.integer]])
                }
            case "PRICE_UPDATE":
                _ = Self.check(payload, ["marketId": [.string], "prices": [.array], "timestamp": [.integer]])
                for entry in payload["prices"] as? [Any] ?? [] {
                    _ = Self.check(entry, [
                        "marketId": [.string], "outcomeId": [.string], "outcomeName": [.string], "bestBid": price,
                        "bestAsk": price, "lastPrice": price, "midPrice": price, "spread": price, "volume24h": [.number],
                    ])
                }
            case "MARKET_STATUS":
                _ = Self.check(payload, ["marketId": [.string], "status": [.string], "timestamp": [.integer]])
            case "ORDER_UPDATE":
                _ = Self.check(payload, ["marketId": [.string], "operatorId": [.string], "order": [.object], "timestamp": [.integer]])
                _ = Self.check(payload["order"], [
                    "id": [.string], "marketId": [.string], "outcomeId": [.string], "operatorId": [.string],
                    "playerId": [.string], "side": [.string], "type": [.string], "shares": [.string],
                    "price": [.string, .null], "filledShares": [.string], "avgFillPrice": [.string, .null],
                    "remainingShares": [.string], "status": [.string], "transactionId": [.string, .null],
                ])
            case "POSITION_UPDATE":
                _ = Self.check(payload, ["marketId": [.string], "operatorId": [.string], "position": [.object], "timestamp": [.integer]])
                _ = Self.check(payload["position"], [
                    "id": [.string], "marketId": [.string], "outcomeId": [.string], "operatorId": [.string],
                    "shares": [.string], "avgPrice": [.string], "totalCost": [.string], "realizedPnl": [.string],
                ])
            default:
                Issue.record("unexpected type \(type)")
            }
        }
        #expect(seen == ["TRADE", "ORDERBOOK_UPDATE", "PRICE_UPDATE", "MARKET_STATUS", "ORDER_UPDATE", "POSITION_UPDATE"])
    }

    @Test("numbers are written exactly, as in the seed's examples")
    func exactNumbers() throws {
        let encoder = EventJSONEncoder()
        let events = try Self.scenario()
        let texts = events.map { String(decoding: encoder.encode($0), as: UTF8.self) }
        let prices = try #require(texts.last { $0.hasPrefix(#"{"type":"PRICE_UPDATE""#) })
        #expect(prices.contains(#""bestBid":0.65,"bestAsk":0.68,"lastPrice":null,"midPrice":0.665,"spread":0.03,"volume24h":0"#))
        #expect(prices.contains(#""lastPrice":0.62,"midPrice":null,"spread":null,"volume24h":150"#))
        let book = try #require(texts.first { $0.contains(#""asks":[{"price":0.68"#) })
        #expect(book.contains(#""bids":[{"price":0.65,"shares":150,"orderCount":1}],"asks":[{"price":0.68,"shares":75,"orderCount":1}],"bestBid":0.65,"bestAsk":0.68,"spread":0.03,"timestamp":1708293600000}"#))
        let position = try #require(texts.last { $0.contains(#""operatorId":"op-1","position""#) })
        #expect(position == #"{"type":"POSITION_UPDATE","payload":{"marketId":"m1","operatorId":"op-1","position":{"id":"pos-4","marketId":"m1","outcomeId":"m1-no","operatorId":"op-1","shares":"150","avgPrice":"0.62","totalCost":"93","realizedPnl":"0"},"timestamp":1708293600000}}"#)
        let trade = try #require(texts.first { $0.hasPrefix(#"{"type":"TRADE""#) })
        #expect(trade == #"{"type":"TRADE","payload":{"marketId":"m1","outcomeId":"m1-no","price":0.62,"shares":150,"side":"BUY","timestamp":1708293600000}}"#)
        let status = try #require(texts.last)
        #expect(status == #"{"type":"MARKET_STATUS","payload":{"marketId":"m1","status":"SUSPENDED","timestamp":1708293600000}}"#)
        let order = try #require(texts.first { $0.contains(#""status":"FILLED""#) && $0.contains(#""id":"ord-4""#) })
        #expect(order == #"{"type":"ORDER_UPDATE","payload":{"marketId":"m1","operatorId":"op-1","order":{"id":"ord-4","marketId":"m1","outcomeId":"m1-no","operatorId":"op-1","playerId":"player-op-1","side":"BUY","type":"LIMIT","shares":"150","price":"0.62","filledShares":"150","avgFillPrice":"0.62","remainingShares":"0","status":"FILLED","transactionId":"txn-1"},"timestamp":1708293600000}}"#)
        let fullPrices = #"{"type":"PRICE_UPDATE","payload":{"marketId":"m1","prices":[{"marketId":"m1","outcomeId":"m1-yes","outcomeName":"Yes","bestBid":0.65,"bestAsk":0.68,"lastPrice":null,"midPrice":0.665,"spread":0.03,"volume24h":0},{"marketId":"m1","outcomeId":"m1-no","outcomeName":"No","bestBid":null,"bestAsk":null,"lastPrice":0.62,"midPrice":null,"spread":null,"volume24h":150}],"timestamp":1708293600000}}"#
        #expect(prices == fullPrices)
    }

    @Test("consumers decode the bytes back into the same events")
    func roundTrip() throws {
        let encoder = EventJSONEncoder()
        for event in try Self.scenario() {
            let decoded = try JSONDecoder().decode(MarketEvent.self, from: Data(encoder.encode(event)))
            #expect(decoded == event)
            #expect(decoded.operatorId == event.operatorId)
        }
    }

    @Test("private events name their owner; public ones do not")
    func visibility() throws {
        for event in try Self.scenario() {
            switch event.type {
            case "ORDER_UPDATE", "POSITION_UPDATE": #expect(event.operatorId != nil)
            default: #expect(event.operatorId == nil)
            }
            #expect(event.marketId == "m1")
        }
    }

    @Test("strings are escaped")
    func escaping() throws {
        var engine = MarketEngine(clock: { Fixture.time })
        _ = try engine.apply(.createMarket(CreateMarket(marketId: "m\"1\\\n", outcomes: [
            Outcome(id: "y\u{01}", name: "Oui «é»"), Outcome(id: "n", name: "Non"),
        ])))
        let result = try engine.apply(.placeOrder(PlaceOrder(marketId: "m\"1\\\n", outcomeId: "y\u{01}", side: .buy, type: .limit,
                                                             shares: 1, price: "0.5", operatorId: "op", playerId: "p")))
        for event in result.events {
            let bytes = EventJSONEncoder().encode(event)
            let decoded = try JSONDecoder().decode(MarketEvent.self, from: Data(bytes))
            #expect(decoded == event)
        }
    }

    @Test("the REST writers produce the same objects as the events carry")
    func restWriters() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.buy, 150, at: "0.65", by: "op-1"))
        let encoder = EventJSONEncoder()
        var bytes: [UInt8] = []
        encoder.write(try engine.book(), into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"marketId":"m1","outcomeId":"m1-yes","bids":[{"price":0.65,"shares":150,"orderCount":1}],"asks":[],"bestBid":0.65,"bestAsk":null,"spread":null,"timestamp":1708293600000}"#)
        bytes.removeAll()
        encoder.write(try #require(engine.order(id: "ord-1")), into: &bytes)
        let order = try JSONDecoder().decode(OrderView.self, from: Data(bytes))
        #expect(order == engine.order(id: "ord-1"))
        bytes.removeAll()
        let price = try #require(try engine.prices(marketId: "m1", at: Fixture.time).first)
        encoder.write(price, into: &bytes)
        #expect(try JSONDecoder().decode(OutcomePrice.self, from: Data(bytes)) == price)
    }
}
