import MarketEngine

/// Drives a real engine to produce realistic event sequences for the tests.
struct EventScript {
    var engine = MarketEngine(clock: { 1_708_293_600_000 })
    var events: [MarketEvent] = []

    mutating func createMarket(_ id: String) throws {
        events += try engine.apply(.createMarket(.binary(marketId: id))).events
    }

    mutating func place(_ marketId: String, _ side: OrderSide, price: FixedDecimal, shares: FixedDecimal, operatorId: String) throws {
        let order = PlaceOrder(marketId: marketId, outcomeId: "\(marketId)-yes", side: side, type: .limit, shares: shares,
                               price: price, operatorId: operatorId, playerId: "player-1")
        events += try engine.apply(.placeOrder(order)).events
    }

    /// A market with a resting bid and ask by op-a, then op-b trading against the ask.
    static func tradedMarket(_ id: String) throws -> EventScript {
        var script = EventScript()
        try script.createMarket(id)
        try script.place(id, .buy, price: "0.40", shares: 100, operatorId: "op-a")
        try script.place(id, .sell, price: "0.60", shares: 100, operatorId: "op-a")
        try script.place(id, .buy, price: "0.60", shares: 30, operatorId: "op-b")
        return script
    }
}
