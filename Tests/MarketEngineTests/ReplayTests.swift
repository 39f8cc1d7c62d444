import MarketEngine
import Testing

/// Deterministic pseudo-random numbers (SplitMix64) so a failing seed can be rerun.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Replay")
struct ReplayTests {
    static let outcomes = ["m1": ["m1-yes", "m1-no"], "m2": ["a", "b", "c"]]

    /// A random command; markets close or resolve only once `late` is true, so most of the run trades.
    static func randomCommand(_ rng: inout SplitMix, orderCount: Int, late: Bool) -> EngineCommand {
        let operatorId = "op-\(Int.random(in: 1...4, using: &rng))"
        let marketId = Bool.random(using: &rng) ? "m1" : "m2"
        let outcome = outcomes[marketId]!.randomElement(using: &rng)!
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case 0..<2:
            let status = late ? MarketStatus.allCases.randomElement(using: &rng)! : [.open, .suspended].randomElement(using: &rng)!
            let winner = status == .resolved ? outcomes[marketId]!.randomElement(using: &rng) : nil
            return .changeMarketStatus(ChangeMarketStatus(marketId: marketId, status: status, winningOutcomeId: winner))
        case 2..<20:
            let id = "ord-\(Int.random(in: 1...max(orderCount + 2, 1), using: &rng))"
            return .cancelOrder(CancelOrder(orderId: id, operatorId: operatorId))
        case 20..<28:
            return .placeOrder(PlaceOrder(marketId: marketId, outcomeId: outcome, side: Bool.random(using: &rng) ? .buy : .sell,
                                          type: .market, shares: FixedDecimal(rawValue: Int64.random(in: 1...50, using: &rng) * 500_000),
                                          price: nil, operatorId: operatorId, playerId: "p"))
        default:
            let side: OrderSide = Bool.random(using: &rng) ? .buy : .sell
            // Around a mid of 0.50; a few bad prices and sizes to exercise rejections.
            let tick = Int64.random(in: 40...60, using: &rng) + (side == .buy ? 1 : -1)
            let price = roll < 30 ? FixedDecimal(rawValue: tick * 10_000 + 5_000) : FixedDecimal(rawValue: tick * 10_000)
            let shares = roll == 99 ? FixedDecimal.zero : FixedDecimal(rawValue: Int64.random(in: 1...100, using: &rng) * 250_000)
            let client = Int.random(in: 0..<4, using: &rng) == 0 ? "c-\(Int.random(in: 0..<50, using: &rng))" : nil
            return .placeOrder(PlaceOrder(marketId: marketId, outcomeId: outcome, side: side, type: .limit, shares: shares,
                                          price: price, operatorId: operatorId, playerId: "p", clientOrderId: client))
        }
    }

    @Test("rebuilding from the journal reproduces the state and the events", arguments: [UInt64(1), 7, 42])
    func replayDeterminism(seed: UInt64) throws {
        let clock = ManualClock()
        var rng = SplitMix(state: seed)
        var live = MarketEngine(clock: clock.read)
        var journal: [String] = []
        var liveEvents: [MarketEvent] = []
        let creations: [EngineCommand] = [
            .createMarket(.binary(marketId: "m1")),
            .createMarket(CreateMarket(marketId: "m2", outcomes: [
                Outcome(id: "a", name: "A"), Outcome(id: "b", name: "B"), Outcome(id: "c", name: "C"),
            ], tickSize: "0.005")),
        ]
        for command in creations {
            let outcome = try live.apply(command)
            journal.append(try #require(outcome.entry).jsonLine())
            liveEvents += outcome.events
        }
        var rejected = 0
        var orderCount = 0
        for step in 0..<1500 {
            clock.advance(by: Int64.random(in: 0...120_000, using: &rng))
            let command = Self.randomCommand(&rng, orderCount: orderCount, late: step > 1300)
            do {
                let outcome = try live.apply(command)
                if let entry = outcome.entry {
                    journal.append(try entry.jsonLine())
                } else {
                    #expect(outcome.events.isEmpty)
                }
                if case .placeOrder = command, outcome.entry != nil { orderCount += 1 }
                liveEvents += outcome.events
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 0)
        // The run must have exercised the book: many orders and trades, not just rejections.
        #expect(orderCount > 300)
        #expect(liveEvents.filter { $0.type == "TRADE" }.count > 50)

        var replayed = MarketEngine(clock: { 0 })
        var replayedEvents: [MarketEvent] = []
        for line in journal {
            replayedEvents += try replayed.replay(JournalEntry(jsonLine: line)).events
        }
        #expect(replayed.snapshot(at: clock.now) == live.snapshot(at: clock.now))
        #expect(replayedEvents == liveEvents)
        let encoder = EventJSONEncoder()
        #expect(replayedEvents.map(encoder.encode) == liveEvents.map(encoder.encode))

        let rebuilt = try MarketEngine.rebuild(fromJournal: journal, clock: { 0 })
        #expect(rebuilt.snapshot(at: clock.now) == live.snapshot(at: clock.now))
        Self.checkInvariants(live.snapshot(at: clock.now))
    }

    /// Books never cross, levels add up, and every outcome's positions net to zero.
    static func checkInvariants(_ snapshot: EngineSnapshot) {
        let ordersById = Dictionary(uniqueKeysWithValues: snapshot.orders.map { ($0.id, $0) })
        for book in snapshot.books {
            if let bid = book.bids.first?.price, let ask = book.asks.first?.price {
                #expect(bid < ask)
            }
            for level in book.bids + book.asks {
                let sum = level.orderIds.compactMap { ordersById[$0]?.remainingShares.rawValue }.reduce(0, +)
                #expect(sum == level.shares.rawValue)
                #expect(level.orderIds.allSatisfy { ordersById[$0]?.status.isOpen == true })
            }
            let net = snapshot.positions.filter { $0.outcomeId == book.outcomeId }.map(\.shares.rawValue).reduce(0, +)
            #expect(net == 0)
        }
    }

    @Test("replay refuses an entry out of sequence")
    func outOfOrder() throws {
        var engine = MarketEngine(clock: { 0 })
        let entry = JournalEntry(sequence: 2, timestamp: 0, command: .createMarket(.binary(marketId: "m1")))
        #expect(throws: EngineError.journalOutOfOrder) { try engine.replay(entry) }
    }

    @Test("journal lines are one JSON object with tagged commands")
    func journalLine() throws {
        let entry = JournalEntry(sequence: 3, timestamp: 5, command: Fixture.limit(.buy, 10, at: "0.65", by: "op-1", clientOrderId: "c"))
        let line = try entry.jsonLine()
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"command":{"payload":{"clientOrderId":"c","marketId":"m1","#))
        #expect(line.contains(#""price":"0.65""#))
        #expect(line.contains(#""type":"PLACE_ORDER""#))
        #expect(try JournalEntry(jsonLine: line) == entry)
    }
}
