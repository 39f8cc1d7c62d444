import MarketEngine
import Testing

@Suite("Market lifecycle")
struct MarketLifecycleTests {
    static let legal: Set<String> = [
        "OPEN->SUSPENDED", "SUSPENDED->OPEN", "OPEN->CLOSED", "SUSPENDED->CLOSED",
        "OPEN->RESOLVED", "SUSPENDED->RESOLVED", "CLOSED->RESOLVED",
    ]

    @Test("the transition table is exactly the documented one")
    func transitionTable() {
        for from in MarketStatus.allCases {
            for to in MarketStatus.allCases {
                #expect(from.canMove(to: to) == Self.legal.contains("\(from.rawValue)->\(to.rawValue)"), "\(from)->\(to)")
            }
        }
    }

    @Test("the engine applies every pair as the table says", arguments: MarketStatus.allCases)
    func engineFollowsTable(from: MarketStatus) throws {
        for to in MarketStatus.allCases {
            var engine = try Fixture.engine()
            // Walk to `from` by a legal path.
            switch from {
            case .open: break
            case .suspended: _ = try engine.apply(Fixture.status(.suspended))
            case .closed: _ = try engine.apply(Fixture.status(.closed))
            case .resolved: _ = try engine.apply(Fixture.status(.resolved, winner: Fixture.yes))
            }
            let winner = to == .resolved ? Fixture.no : nil
            if from.canMove(to: to) {
                let result = try engine.apply(Fixture.status(to, winner: winner))
                #expect(result.events.first == .marketStatus(MarketStatusUpdate(marketId: "m1", status: to, timestamp: Fixture.time)))
                #expect(engine.market(id: "m1")?.status == to)
            } else {
                #expect(throws: EngineError.illegalTransition) { try engine.apply(Fixture.status(to, winner: winner)) }
                #expect(engine.market(id: "m1")?.status == from)
            }
        }
    }

    @Test("a suspended market refuses orders, keeps resting ones and lets owners cancel")
    func suspension() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.41", by: "op-1"))
        _ = try engine.apply(Fixture.status(.suspended))
        #expect(throws: EngineError.marketNotOpen) { try engine.apply(Fixture.limit(.sell, 10, at: "0.40", by: "op-2")) }
        #expect(try engine.book().bids == levels([("0.41", 10, 1), ("0.4", 10, 1)]))
        _ = try engine.apply(Fixture.cancel("ord-2", by: "op-1"))
        _ = try engine.apply(Fixture.status(.open))
        let trade = try engine.apply(Fixture.limit(.sell, 10, at: "0.40", by: "op-2"))
        #expect(trade.trades.map(\.price) == ["0.4"])
    }

    @Test("closing cancels every open order and empties the books")
    func closing() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.60", by: "op-2"))
        _ = try engine.apply(Fixture.limit(.sell, 5, at: "0.70", by: "op-2", outcome: Fixture.no))
        let result = try engine.apply(Fixture.status(.closed))
        #expect(result.types == ["MARKET_STATUS", "ORDER_UPDATE", "ORDER_UPDATE", "ORDER_UPDATE",
                                 "ORDERBOOK_UPDATE", "ORDERBOOK_UPDATE", "PRICE_UPDATE"])
        #expect(result.orderUpdates.map(\.id) == ["ord-1", "ord-2", "ord-3"])
        #expect(result.orderUpdates.allSatisfy { $0.status == .cancelled && $0.remainingShares == 0 })
        #expect(try engine.book().bids.isEmpty)
        #expect(try engine.book().asks.isEmpty)
        #expect(try engine.book(Fixture.no).asks.isEmpty)
        #expect(engine.orders(operatorId: "op-2", openOnly: true).isEmpty)
    }

    /// op-1 buys 100 Yes at 0.62 from op-2, sells 40 at 0.70 to op-3 and leaves a bid resting.
    static func tradedMarket() throws -> MarketEngine {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.sell, 100, at: "0.62", by: "op-2"))
        _ = try engine.apply(Fixture.limit(.buy, 100, at: "0.62", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.buy, 40, at: "0.70", by: "op-3"))
        _ = try engine.apply(Fixture.limit(.sell, 40, at: "0.70", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.50", by: "op-1"))
        return engine
    }

    @Test("resolution pays 1 per winning share and realises PnL (Yes wins)")
    func resolutionYes() throws {
        var engine = try Self.tradedMarket()
        #expect(engine.position("op-1")?.realizedPnl == "3.2")
        let result = try engine.apply(Fixture.status(.resolved, winner: Fixture.yes))
        #expect(result.types == ["MARKET_STATUS", "ORDER_UPDATE", "ORDERBOOK_UPDATE", "PRICE_UPDATE",
                                 "POSITION_UPDATE", "POSITION_UPDATE", "POSITION_UPDATE"])
        #expect(engine.order(id: "ord-5")?.status == .cancelled)
        #expect(engine.market(id: "m1")?.winningOutcomeId == Fixture.yes)
        // op-1: 3.2 + (60 − 37.2); op-2: −100 − (−62); op-3: 40 − 28.
        #expect(engine.position("op-1")?.realizedPnl == 26)
        #expect(engine.position("op-2")?.realizedPnl == -38)
        #expect(engine.position("op-3")?.realizedPnl == 12)
        for operatorId in ["op-1", "op-2", "op-3"] {
            let position = try #require(engine.position(operatorId))
            #expect(position.shares == 0)
            #expect(position.totalCost == 0)
            #expect(position.avgPrice == 0)
        }
    }

    @Test("resolution pays 0 to losing shares (No wins) and the market stays zero-sum")
    func resolutionNo() throws {
        var engine = try Self.tradedMarket()
        let result = try engine.apply(Fixture.status(.resolved, winner: Fixture.no))
        #expect(engine.position("op-1")?.realizedPnl == -34)
        #expect(engine.position("op-2")?.realizedPnl == 62)
        #expect(engine.position("op-3")?.realizedPnl == -28)
        let total = try result.positionUpdates.reduce(FixedDecimal.zero) { try $0.adding($1.realizedPnl) }
        #expect(total == 0)
        #expect(throws: EngineError.marketNotOpen) { try engine.apply(Fixture.limit(.buy, 1, at: "0.5", by: "op-1")) }
    }

    @Test("multi-outcome markets resolve to one of several outcomes")
    func multiOutcome() throws {
        var engine = MarketEngine(clock: { Fixture.time })
        let outcomes = [Outcome(id: "a", name: "Alice"), Outcome(id: "b", name: "Bob"), Outcome(id: "c", name: "Carol")]
        let created = try engine.apply(.createMarket(CreateMarket(marketId: "m1", title: "Who wins?", outcomes: outcomes)))
        guard case .market(let view) = created.result else { Issue.record("no market"); return }
        #expect(view.outcomes == outcomes)
        #expect(view.tickSize == "0.01")
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.30", by: "op-2", outcome: "b"))
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.30", by: "op-1", outcome: "b"))
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.50", by: "op-2", outcome: "c"))
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.50", by: "op-1", outcome: "c"))
        _ = try engine.apply(Fixture.status(.closed))
        _ = try engine.apply(Fixture.status(.resolved, winner: "b"))
        #expect(engine.position("op-1", "b")?.realizedPnl == 7)
        #expect(engine.position("op-1", "c")?.realizedPnl == -5)
        #expect(engine.position("op-2", "b")?.realizedPnl == -7)
        #expect(engine.position("op-2", "c")?.realizedPnl == 5)
    }
}
