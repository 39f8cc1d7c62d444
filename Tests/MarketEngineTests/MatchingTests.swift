import MarketEngine
import Testing

@Suite("Matching")
struct MatchingTests {
    @Test("a partial fill trades at the resting price and leaves the rest resting")
    func partialFill() throws {
        var engine = try Fixture.engine()
        let ask = try engine.apply(Fixture.limit(.sell, 100, at: "0.60", by: "op-1"))
        #expect(ask.order?.status == .open)
        #expect(ask.types == ["ORDER_UPDATE", "ORDERBOOK_UPDATE", "PRICE_UPDATE"])

        let bid = try engine.apply(Fixture.limit(.buy, 30, at: "0.65", by: "op-2"))
        #expect(bid.types == ["TRADE", "ORDER_UPDATE", "ORDER_UPDATE", "POSITION_UPDATE", "POSITION_UPDATE",
                              "ORDERBOOK_UPDATE", "PRICE_UPDATE"])
        #expect(bid.trades == [TradeEvent(marketId: "m1", outcomeId: "m1-yes", price: "0.6", shares: 30, side: .buy,
                                          timestamp: Fixture.time)])
        let taker = try #require(bid.order)
        #expect(taker.status == .filled)
        #expect(taker.filledShares == 30)
        #expect(taker.remainingShares == 0)
        #expect(taker.avgFillPrice == "0.6")
        #expect(taker.transactionId == "txn-1")
        let maker = try #require(engine.order(id: "ord-1"))
        #expect(maker.status == .partiallyFilled)
        #expect(maker.filledShares == 30)
        #expect(maker.remainingShares == 70)
        #expect(bid.orderUpdates.first == maker)

        let book = try engine.book()
        #expect(book.bids.isEmpty)
        #expect(book.asks == levels([("0.6", 70, 1)]))
        #expect(book.bestBid == nil)
        #expect(book.bestAsk == "0.6")
        #expect(book.spread == nil)

        let buyer = try #require(engine.position("op-2"))
        #expect(buyer.shares == 30)
        #expect(buyer.avgPrice == "0.6")
        #expect(buyer.totalCost == 18)
        let seller = try #require(engine.position("op-1"))
        #expect(seller.shares == -30)
        #expect(seller.avgPrice == "0.6")
        #expect(seller.totalCost == -18)
        #expect(bid.positionUpdates.map(\.operatorId) == ["op-2", "op-1"])

        let price = try #require(bid.priceUpdates.first?.prices.first)
        #expect(price.lastPrice == "0.6")
        #expect(price.volume24h == 30)
        #expect(price.bestAsk == "0.6")
        #expect(price.midPrice == nil)
    }

    @Test("better price first, then arrival order within a price")
    func priceTimePriority() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.60", by: "op-1"))   // ord-1
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.60", by: "op-3"))   // ord-2
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.59", by: "op-4"))   // ord-3, better
        #expect(try engine.book().asks == levels([("0.59", 10, 1), ("0.6", 20, 2)]))

        let result = try engine.apply(Fixture.limit(.buy, 25, at: "0.60", by: "op-2"))
        #expect(result.trades.map(\.price) == ["0.59", "0.6", "0.6"])
        #expect(result.trades.map(\.shares) == [10, 10, 5])
        #expect(result.orderUpdates.map(\.id) == ["ord-3", "ord-1", "ord-2", "ord-4"])
        #expect(engine.order(id: "ord-1")?.status == .filled)
        #expect(engine.order(id: "ord-2")?.status == .partiallyFilled)
        #expect(engine.order(id: "ord-2")?.remainingShares == 5)
        #expect(engine.order(id: "ord-3")?.status == .filled)
        // 10 × 0.59 + 15 × 0.60 = 14.9 over 25 shares.
        #expect(result.order?.avgFillPrice == "0.596")
        #expect(engine.position("op-2")?.totalCost == "14.9")
        #expect(try engine.book().asks == levels([("0.6", 5, 1)]))
    }

    @Test("a limit order that crosses rests its remainder at its own price")
    func crossingRemainderRests() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.buy, 40, at: "0.55", by: "op-1"))
        let sell = try engine.apply(Fixture.limit(.sell, 100, at: "0.50", by: "op-2"))
        #expect(sell.trades.map(\.price) == ["0.55"])
        #expect(sell.trades.first?.side == .sell)
        #expect(sell.order?.status == .partiallyFilled)
        #expect(sell.order?.remainingShares == 60)
        let book = try engine.book()
        #expect(book.bids.isEmpty)
        #expect(book.asks == levels([("0.5", 60, 1)]))
    }

    @Test("a market order walks several levels, and cancels what it cannot fill")
    func marketOrders() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.55", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.sell, 20, at: "0.57", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.sell, 30, at: "0.60", by: "op-1"))

        let first = try engine.apply(Fixture.marketOrder(.buy, 45, by: "op-2"))
        #expect(first.trades.map(\.price) == ["0.55", "0.57", "0.6"])
        #expect(first.trades.map(\.shares) == [10, 20, 15])
        let order = try #require(first.order)
        #expect(order.status == .filled)
        #expect(order.price == nil)
        // (5.5 + 11.4 + 9) / 45 = 0.57555… rounded to six digits.
        #expect(order.avgFillPrice == "0.575556")
        #expect(engine.position("op-2")?.totalCost == "25.9")
        #expect(try engine.book().asks == levels([("0.6", 15, 1)]))

        let second = try engine.apply(Fixture.marketOrder(.buy, 100, by: "op-3"))
        let rest = try #require(second.order)
        #expect(rest.status == .cancelled)
        #expect(rest.filledShares == 15)
        #expect(rest.remainingShares == 0)
        #expect(try engine.book().asks.isEmpty)

        let empty = try engine.apply(Fixture.marketOrder(.sell, 5, by: "op-3"))
        #expect(empty.order?.status == .cancelled)
        #expect(empty.order?.filledShares == 0)
        #expect(empty.order?.avgFillPrice == nil)
        #expect(empty.types == ["ORDER_UPDATE"])
    }

    @Test("self-trade prevention cancels the operator's own resting order and keeps matching")
    func selfTradePrevention() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.60", by: "op-1"))   // ord-1, own
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.61", by: "op-2"))   // ord-2
        let result = try engine.apply(Fixture.limit(.buy, 15, at: "0.61", by: "op-1"))
        #expect(result.trades.map(\.price) == ["0.61"])
        #expect(result.trades.map(\.shares) == [10])
        let own = try #require(engine.order(id: "ord-1"))
        #expect(own.status == .cancelled)
        #expect(own.filledShares == 0)
        #expect(result.orderUpdates.map(\.id) == ["ord-1", "ord-2", "ord-3"])
        #expect(result.orderUpdates.first?.status == .cancelled)
        #expect(result.order?.status == .partiallyFilled)
        #expect(result.order?.remainingShares == 5)
        let book = try engine.book()
        #expect(book.bids == levels([("0.61", 5, 1)]))
        #expect(book.asks.isEmpty)
        // The operator never traded with itself.
        #expect(engine.position("op-1")?.shares == 10)
        #expect(engine.position("op-2")?.shares == -10)
    }

    @Test("only the owner cancels; another operator is refused and the book is unchanged")
    func cancelOwnership() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-1"))
        let before = engine.snapshot(at: Fixture.time)
        #expect(throws: EngineError.notOrderOwner) { try engine.apply(Fixture.cancel("ord-1", by: "op-2")) }
        #expect(engine.snapshot(at: Fixture.time) == before)
        #expect(throws: EngineError.unknownOrder) { try engine.apply(Fixture.cancel("ord-9", by: "op-1")) }
        #expect(throws: EngineError.unknownOrder) { try engine.apply(Fixture.cancel("nonsense", by: "op-1")) }
        #expect(engine.snapshot(at: Fixture.time) == before)

        let cancelled = try engine.apply(Fixture.cancel("ord-1", by: "op-1"))
        #expect(cancelled.order?.status == .cancelled)
        #expect(cancelled.order?.remainingShares == 0)
        #expect(cancelled.types == ["ORDER_UPDATE", "ORDERBOOK_UPDATE", "PRICE_UPDATE"])
        #expect(try engine.book().bids.isEmpty)
        #expect(throws: EngineError.orderNotOpen) { try engine.apply(Fixture.cancel("ord-1", by: "op-1")) }
    }

    @Test("the same operator and clientOrderId return the original order and change nothing")
    func idempotentRetry() throws {
        var engine = try Fixture.engine()
        let first = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-1", clientOrderId: "c-1"))
        #expect(first.entry != nil)
        let before = engine.snapshot(at: Fixture.time)
        let retry = try engine.apply(Fixture.limit(.buy, 99, at: "0.41", by: "op-1", clientOrderId: "c-1"))
        #expect(retry.order == first.order)
        #expect(retry.events.isEmpty)
        #expect(retry.entry == nil)
        #expect(engine.snapshot(at: Fixture.time) == before)

        let other = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-2", clientOrderId: "c-1"))
        #expect(other.order?.id == "ord-2")
        #expect(try engine.book().bids == levels([("0.4", 20, 2)]))
    }

    @Test("selling without holding opens a short; buying back realises the PnL")
    func shortPositions() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-2"))
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.40", by: "op-1"))
        #expect(engine.position("op-1")?.shares == -10)
        #expect(engine.position("op-1")?.totalCost == -4)
        _ = try engine.apply(Fixture.limit(.sell, 4, at: "0.30", by: "op-3"))
        _ = try engine.apply(Fixture.limit(.buy, 4, at: "0.30", by: "op-1"))
        let position = try #require(engine.position("op-1"))
        #expect(position.shares == -6)
        #expect(position.avgPrice == "0.4")
        #expect(position.totalCost == "-2.4")
        #expect(position.realizedPnl == "0.4")   // sold 4 at 0.40, bought back at 0.30
    }

    @Test("a fill through zero closes the position then opens the rest at the fill price")
    func throughZero() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.40", by: "op-2"))
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.buy, 15, at: "0.50", by: "op-3"))
        _ = try engine.apply(Fixture.limit(.sell, 15, at: "0.50", by: "op-1"))
        let position = try #require(engine.position("op-1"))
        #expect(position.realizedPnl == 1)
        #expect(position.shares == -5)
        #expect(position.avgPrice == "0.5")
        #expect(position.totalCost == "-2.5")
    }

    @Test("average cost of several buys, partial sale keeps the average")
    func averageCost() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.sell, 100, at: "0.60", by: "op-2"))
        _ = try engine.apply(Fixture.limit(.buy, 100, at: "0.60", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.sell, 50, at: "0.66", by: "op-2"))
        _ = try engine.apply(Fixture.limit(.buy, 50, at: "0.66", by: "op-1"))
        var position = try #require(engine.position("op-1"))
        #expect(position.shares == 150)
        #expect(position.totalCost == 93)
        #expect(position.avgPrice == "0.62")
        _ = try engine.apply(Fixture.limit(.buy, 30, at: "0.70", by: "op-3"))
        _ = try engine.apply(Fixture.limit(.sell, 30, at: "0.70", by: "op-1"))
        position = try #require(engine.position("op-1"))
        #expect(position.shares == 120)
        #expect(position.avgPrice == "0.62")
        #expect(position.totalCost == "74.4")
        #expect(position.realizedPnl == "2.4")   // 30 × (0.70 − 0.62)
    }

    @Test("each outcome has its own book")
    func booksPerOutcome() throws {
        var engine = try Fixture.engine()
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.60", by: "op-1", outcome: Fixture.yes))
        let result = try engine.apply(Fixture.limit(.buy, 10, at: "0.60", by: "op-2", outcome: Fixture.no))
        #expect(result.trades.isEmpty)
        #expect(try engine.book(Fixture.no).bids == levels([("0.6", 10, 1)]))
        #expect(try engine.book(Fixture.yes).asks == levels([("0.6", 10, 1)]))
        let prices = try #require(result.priceUpdates.first?.prices)
        #expect(prices.map(\.outcomeName) == ["Yes", "No"])
        #expect(prices.map(\.bestBid) == [nil, "0.6"])
        #expect(prices.map(\.bestAsk) == ["0.6", nil])
    }

    @Test("24 h volume drops trades older than the window")
    func volumeWindow() throws {
        let clock = ManualClock()
        var engine = try Fixture.engine(clock: clock)
        _ = try engine.apply(Fixture.limit(.sell, 10, at: "0.60", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.60", by: "op-2"))
        clock.advance(by: 12 * 3_600_000)
        _ = try engine.apply(Fixture.limit(.sell, 5, at: "0.60", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.buy, 5, at: "0.60", by: "op-2"))
        #expect(try engine.prices(marketId: "m1", at: clock.now).first?.volume24h == 15)
        #expect(try engine.prices(marketId: "m1", at: clock.now + 13 * 3_600_000).first?.volume24h == 5)
        #expect(try engine.prices(marketId: "m1", at: clock.now + 25 * 3_600_000).first?.volume24h == 0)
    }

    @Test("ORDERBOOK_UPDATE carries the best levels up to the engine's depth; queries can see all")
    func bookDepth() throws {
        var engine = MarketEngine(clock: { Fixture.time }, bookDepth: 2)
        _ = try engine.apply(.createMarket(.binary(marketId: Fixture.market)))
        _ = try engine.apply(Fixture.limit(.buy, 1, at: "0.40", by: "op-1"))
        _ = try engine.apply(Fixture.limit(.buy, 2, at: "0.42", by: "op-1"))
        let last = try engine.apply(Fixture.limit(.buy, 3, at: "0.41", by: "op-1"))
        #expect(last.books.first?.bids == levels([("0.42", 2, 1), ("0.41", 3, 1)]))
        #expect(try engine.book().bids.count == 3)
        #expect(try engine.orderBook(marketId: Fixture.market, outcomeId: Fixture.yes, depth: 1).bids == levels([("0.42", 2, 1)]))
    }

    @Test("events already handed out keep their values when later commands reuse the engine's published storage")
    func publishedStorageIsNotSharedWithHeldEvents() throws {
        var engine = try Fixture.engine()
        let encoder = EventJSONEncoder()
        func json(_ events: [MarketEvent]) -> [String] {
            events.map { event in
                var bytes: [UInt8] = []
                encoder.encode(event, into: &bytes)
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        var events: [MarketEvent] = []
        _ = try engine.apply(Fixture.limit(.buy, 10, at: "0.40", by: "op-1"), appendingEventsTo: &events)
        // Held, as the service holds events until their batch is durable: the book and price
        // updates share storage the engine rewrites in place once nothing else holds it.
        let held = events
        let heldJSON = json(held)
        #expect(held.map(\.type) == ["ORDER_UPDATE", "ORDERBOOK_UPDATE", "PRICE_UPDATE"])
        // A better bid, a sell that trades 5 and rests 2, a buy that trades 1 of them: each
        // changes the book and the prices.
        for command in [Fixture.limit(.buy, 5, at: "0.45", by: "op-2"), Fixture.limit(.sell, 7, at: "0.45", by: "op-3"),
                        Fixture.limit(.buy, 1, at: "0.45", by: "op-4")] {
            events.removeAll(keepingCapacity: true)
            _ = try engine.apply(command, appendingEventsTo: &events)
            #expect(events.contains { $0.type == "PRICE_UPDATE" })
        }
        #expect(json(held) == heldJSON)
        guard case .price(let prices) = held[2], case .orderBook(let book) = held[1] else {
            Issue.record("unexpected events \(held.map(\.type))")
            return
        }
        #expect(prices.prices.map(\.bestBid) == ["0.40", nil])
        #expect(prices.prices.map(\.lastPrice) == [nil, nil])
        #expect(book.orderBook.bids == levels([("0.40", 10, 1)]))
        // The engine's own next update is right.
        guard case .price(let latest) = events.last else {
            Issue.record("no PRICE_UPDATE last")
            return
        }
        #expect(latest.prices.map(\.bestBid) == ["0.40", nil])
        #expect(latest.prices.map(\.bestAsk) == ["0.45", nil])
        #expect(latest.prices.map(\.lastPrice) == ["0.45", nil])
    }
}
