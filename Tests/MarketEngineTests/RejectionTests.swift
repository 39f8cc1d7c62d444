import MarketEngine
import Testing

@Suite("Rejected commands")
struct RejectionTests {
    static func place(
        market: String = Fixture.market, outcome: String = Fixture.yes, side: OrderSide = .buy, type: OrderType = .limit,
        shares: FixedDecimal = 10, price: FixedDecimal? = "0.5", operatorId: String = "op-2", playerId: String = "p-1"
    ) -> EngineCommand {
        .placeOrder(PlaceOrder(marketId: market, outcomeId: outcome, side: side, type: type, shares: shares, price: price,
                               operatorId: operatorId, playerId: playerId))
    }

    static let cases: [(EngineCommand, EngineError)] = [
        (place(market: "nope"), .unknownMarket),
        (place(outcome: "nope"), .unknownOutcome),
        (place(price: "0"), .invalidPrice),
        (place(price: "1"), .invalidPrice),
        (place(price: "1.2"), .invalidPrice),
        (place(price: "-0.1"), .invalidPrice),
        (place(price: "0.655"), .invalidPrice),
        (place(price: nil), .invalidPrice),
        (place(type: .market, price: "0.5"), .invalidPrice),
        (place(shares: 0), .invalidShares),
        (place(shares: -1), .invalidShares),
        (place(shares: "1000000000.000001"), .invalidShares),
        (place(operatorId: ""), .invalidOrder),
        (place(playerId: ""), .invalidOrder),
        (Fixture.cancel("ord-1", by: "op-2"), .notOrderOwner),
        (Fixture.cancel("ord-99", by: "op-1"), .unknownOrder),
        (Fixture.status(.open), .illegalTransition),
        (Fixture.status(.resolved), .invalidMarket),
        (Fixture.status(.resolved, winner: "nope"), .unknownOutcome),
        (Fixture.status(.closed, winner: Fixture.yes), .invalidMarket),
        (Fixture.status(.suspended, market: "nope"), .unknownMarket),
        (.createMarket(.binary(marketId: Fixture.market)), .duplicateMarket),
        (.createMarket(CreateMarket(marketId: "m2", outcomes: [Outcome(id: "a", name: "A")])), .invalidMarket),
        (.createMarket(CreateMarket(marketId: "m2", outcomes: [Outcome(id: "a", name: "A"), Outcome(id: "a", name: "B")])), .invalidMarket),
        (.createMarket(CreateMarket.binary(marketId: "m2", tickSize: "0.03")), .invalidMarket),
        (.createMarket(CreateMarket.binary(marketId: "m2", tickSize: "0.00001")), .invalidMarket),
        (.createMarket(CreateMarket.binary(marketId: "", tickSize: nil)), .invalidMarket),
    ]

    @Test("every bad command is refused with its code and leaves the engine unchanged", arguments: cases)
    func refusedWithoutChange(command: EngineCommand, error: EngineError) throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.60", by: "op-3"))
        let before = engine.snapshot(at: Fixture.time)
        var events: [MarketEvent] = []
        #expect(throws: error) { try engine.apply(command, appendingEventsTo: &events) }
        #expect(events.isEmpty)
        #expect(engine.snapshot(at: Fixture.time) == before)
        #expect(engine.nextSequence == before.nextSequence)
    }

    @Test("errors carry stable codes and HTTP categories")
    func codes() {
        #expect(EngineError.invalidPrice.code == "invalid_price")
        #expect(EngineError.notOrderOwner.category == .forbidden)
        #expect(EngineError.unknownOrder.category == .notFound)
        #expect(EngineError.illegalTransition.category == .conflict)
        #expect(EngineError.invalidShares.with(detail: "x").message.hasSuffix(": x"))
    }

    @Test("a custom tick accepts its own steps and refuses others")
    func customTick() throws {
        var engine = MarketEngine(clock: { Fixture.time })
        _ = try engine.apply(.createMarket(.binary(marketId: Fixture.market, tickSize: "0.001")))
        let accepted = try engine.apply(Fixture.limit(.buy, 1, at: "0.655", by: "op-1"))
        #expect(accepted.order?.price == "0.655")
        #expect(throws: EngineError.invalidPrice) { try engine.apply(Fixture.limit(.buy, 1, at: "0.6555", by: "op-1")) }
    }

    @Test("a position cannot grow past the limit")
    func positionLimit() throws {
        var engine = try Fixture.engine()
        for _ in 0..<1000 {
            _ = try engine.apply(Fixture.limit(.buy, MarketEngine.maximumOrderShares, at: "0.01", by: "op-1"))
        }
        let before = engine.snapshot(at: Fixture.time)
        #expect(throws: EngineError.positionLimit) { try engine.apply(Fixture.limit(.buy, 1, at: "0.01", by: "op-1")) }
        #expect(engine.snapshot(at: Fixture.time) == before)
    }
}
