import Foundation
import Testing
@testable import SetupDetection

@Suite("Payload JSON")
struct PayloadJSONTests {
    private func message() -> WatchlistUpdateMessage {
        let setup = Setup(
            symbol: "AAPL", strategy: .openingRangeBreakout, direction: .long,
            entry: 190.5, target: 0.1 + 0.2 + 191.7, stop: 189.5, probability: 2.0 / 3.0,
            session: .london, updatedAt: utc(2024, 3, 19, 14, 35)
        )
        let payload = WatchlistPayload(
            id: "momentum", symbols: [SymbolSetups(symbol: "AAPL", setups: [setup])], updatedAt: utc(2024, 3, 19, 14, 35)
        )
        return WatchlistUpdateMessage(payload: payload)
    }

    @Test("watchlist.update has the seed's field names and JSON types")
    func shape() throws {
        let data = try message().jsonData()
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(root.keys) == ["type", "payload"])
        #expect(root["type"] as? String == "watchlist.update")
        let payload = try #require(root["payload"] as? [String: Any])
        #expect(Set(payload.keys) == ["id", "symbols", "updated_at"])
        #expect(payload["id"] as? String == "momentum")
        #expect(payload["updated_at"] as? String == "2024-03-19T14:35:00Z")
        let symbols = try #require(payload["symbols"] as? [[String: Any]])
        #expect(Set(symbols[0].keys) == ["symbol", "setups"])
        #expect(symbols[0]["symbol"] as? String == "AAPL")
        let setup = try #require((symbols[0]["setups"] as? [[String: Any]])?.first)
        #expect(Set(setup.keys) == ["strategy", "direction", "entry", "target", "stop", "probability", "session", "updated_at"])
        #expect(setup["strategy"] as? String == "ORB")
        #expect(setup["direction"] as? String == "long")
        #expect(setup["session"] as? String == "london")
        #expect(setup["updated_at"] as? String == "2024-03-19T14:35:00Z")
        for key in ["entry", "target", "stop", "probability"] {
            #expect(setup[key] is NSNumber, "\(key) must be a JSON number")
            #expect(!(setup[key] is String), "\(key) must not be a string")
        }
        #expect(setup["entry"] as? Double == 190.5)
    }

    @Test("numbers are rounded to 6 decimals: float noise never reaches the wire")
    func rounding() throws {
        let text = try #require(String(data: try message().jsonData(), encoding: .utf8))
        #expect(text.contains("\"target\":192"))
        #expect(text.contains("\"probability\":0.666667"))
        #expect(!text.contains("0000000"))
        #expect(JSONRounding.round(101.00000000000001) == 101)
        #expect(JSONRounding.round(1.23456789) == 1.234568)
    }

    @Test("the payload decodes back, symbols restored into setups")
    func roundTrip() throws {
        let original = message()
        let decoded = try JSONDecoder().decode(WatchlistUpdateMessage.self, from: try original.jsonData())
        #expect(decoded.type == "watchlist.update")
        #expect(decoded.payload.id == "momentum")
        let setup = try #require(decoded.payload.symbols.first?.setups.first)
        #expect(setup.symbol == "AAPL")
        #expect(setup.strategy == .openingRangeBreakout)
        #expect(setup.entry == 190.5)
        #expect(setup.probability == 0.666667)
        #expect(setup.updatedAt == utc(2024, 3, 19, 14, 35))
    }

    @Test("the seed's example setup decodes; a missing session means london")
    func seedExample() throws {
        let json = #"{"strategy":"ORB","entry":190.5,"target":192.0,"stop":189.5,"probability":0.7,"updated_at":"2024-03-19T14:35:00Z"}"#
        let setup = try JSONDecoder().decode(Setup.self, from: Data(json.utf8))
        #expect(setup.session == .london)
        #expect(setup.direction == .long)
        #expect(setup.target == 192)
    }
}
