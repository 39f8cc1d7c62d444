import MarketEngine
import Testing

/// The journal's hand-written lines (``JournalEntry/appendJSONLine(to:)``) against the
/// `JSONEncoder` form they stand in for.
@Suite("Journal lines")
struct JournalLineTests {
    private static let orders: [EngineCommand] = [
        .placeOrder(PlaceOrder(marketId: "m-1", outcomeId: "m-1-yes", side: .buy, type: .limit, shares: "150",
                               price: "0.65", operatorId: "op-1", playerId: "player-7", clientOrderId: "c-1")),
        .placeOrder(PlaceOrder(marketId: "election/2028", outcomeId: "no", side: .sell, type: .market, shares: "0.000001",
                               price: nil, operatorId: "op-2", playerId: "p", clientOrderId: nil)),
        .placeOrder(PlaceOrder(marketId: "m", outcomeId: "o", side: .sell, type: .limit, shares: "1000000000",
                               price: "0.0001", operatorId: "op", playerId: "p-9", clientOrderId: "k/2")),
        .cancelOrder(CancelOrder(orderId: "ord-42", operatorId: "op-1")),
    ]

    @Test("orders and cancels are written byte for byte as JSONEncoder writes them")
    func sameBytesAsJSONEncoder() throws {
        for (index, command) in Self.orders.enumerated() {
            let entry = JournalEntry(sequence: UInt64(index + 1) * 1_000_003, timestamp: 1_795_295_682_086 + Int64(index), command: command)
            var bytes: [UInt8] = []
            try entry.appendJSONLine(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == (try entry.jsonLine()))
        }
    }

    @Test("strings needing escapes read back unchanged; other commands go through JSONEncoder")
    func escapesRoundTrip() throws {
        let tricky = "a\"b\\c\nd\te\u{1}f/é😀"
        let commands: [EngineCommand] = [
            .placeOrder(PlaceOrder(marketId: tricky, outcomeId: tricky, side: .buy, type: .limit, shares: "3",
                                   price: "0.5", operatorId: tricky, playerId: tricky, clientOrderId: tricky)),
            .cancelOrder(CancelOrder(orderId: tricky, operatorId: tricky)),
            .createMarket(.binary(marketId: "m-2")),
        ]
        for command in commands {
            let entry = JournalEntry(sequence: 9, timestamp: -1, command: command)
            var bytes: [UInt8] = [UInt8(ascii: "x")]
            try entry.appendJSONLine(to: &bytes)
            #expect(bytes.first == UInt8(ascii: "x"))
            let line = String(decoding: bytes.dropFirst(), as: UTF8.self)
            #expect(!line.contains("\n"))
            #expect(try JournalEntry(jsonLine: line) == entry)
        }
    }
}
