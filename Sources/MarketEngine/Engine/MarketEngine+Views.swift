// MARK: Views and the events built from them

extension MarketEngine {
    func marketView(_ index: Int) -> MarketView {
        let market = markets[index]
        return MarketView(
            id: market.id,
            title: market.title,
            outcomes: market.outcomes,
            status: market.status,
            tickSize: FixedDecimal(rawValue: market.tickRaw),
            winningOutcomeId: market.winningOutcome.map { market.outcomes[$0].id },
            createdAt: market.createdAt
        )
    }

    func orderView(_ index: Int) -> OrderView {
        let order = orders[index]
        let book = books[order.book]
        let market = markets[book.market]
        return OrderView(
            id: "ord-\(index + 1)",
            marketId: market.id,
            outcomeId: market.outcomes[book.outcome].id,
            operatorId: operatorIds[order.operatorIndex],
            playerId: order.playerId,
            side: order.side,
            type: order.type,
            shares: FixedDecimal(rawValue: order.shares),
            price: order.type == .limit ? FixedDecimal(rawValue: Int64(order.tick) * market.tickRaw) : nil,
            filledShares: FixedDecimal(rawValue: order.filled),
            avgFillPrice: order.filled == 0
                ? nil
                : FixedDecimal(rawValue: FixedDecimal.roundedQuotient(order.fillNotional, Int128(order.filled)) ?? 0),
            remainingShares: FixedDecimal(rawValue: order.status.isOpen ? order.remaining : 0),
            status: order.status,
            transactionId: order.lastTrade == 0 ? nil : "txn-\(order.lastTrade)"
        )
    }

    func positionView(_ index: Int) -> PositionView {
        let position = positions[index]
        let book = books[position.book]
        let market = markets[book.market]
        let average = position.shares == 0
            ? 0
            : FixedDecimal.roundedQuotient(Int128(position.totalCost.magnitude) * Int128(FixedDecimal.scale),
                                           Int128(position.shares.magnitude)) ?? 0
        return PositionView(
            id: "pos-\(index + 1)",
            marketId: market.id,
            outcomeId: market.outcomes[book.outcome].id,
            operatorId: operatorIds[position.operatorIndex],
            shares: FixedDecimal(rawValue: position.shares),
            avgPrice: FixedDecimal(rawValue: average),
            totalCost: FixedDecimal(rawValue: position.totalCost),
            realizedPnl: FixedDecimal(rawValue: position.realized)
        )
    }

    func bookView(_ index: Int) -> OrderBookView {
        let book = books[index]
        let market = markets[book.market]
        let tickRaw = market.tickRaw
        var bids: [BookLevel] = []
        var tick = book.bestBid
        while tick > 0 {
            let level = book.bids[tick]
            if level.orderCount > 0 {
                bids.append(BookLevel(price: FixedDecimal(rawValue: Int64(tick) * tickRaw),
                                      shares: FixedDecimal(rawValue: level.shares), orderCount: level.orderCount))
            }
            tick -= 1
        }
        var asks: [BookLevel] = []
        tick = book.bestAsk
        while tick <= book.maxTick {
            let level = book.asks[tick]
            if level.orderCount > 0 {
                asks.append(BookLevel(price: FixedDecimal(rawValue: Int64(tick) * tickRaw),
                                      shares: FixedDecimal(rawValue: level.shares), orderCount: level.orderCount))
            }
            tick += 1
        }
        let bestBid = book.hasBid ? FixedDecimal(rawValue: Int64(book.bestBid) * tickRaw) : nil
        let bestAsk = book.hasAsk ? FixedDecimal(rawValue: Int64(book.bestAsk) * tickRaw) : nil
        var spread: FixedDecimal?
        if let bestBid, let bestAsk { spread = FixedDecimal(rawValue: bestAsk.rawValue - bestBid.rawValue) }
        return OrderBookView(
            marketId: market.id,
            outcomeId: market.outcomes[book.outcome].id,
            bids: bids,
            asks: asks,
            bestBid: bestBid,
            bestAsk: bestAsk,
            spread: spread,
            timestamp: now
        )
    }

    /// Prices of every outcome of a market, with 24 h volumes as of `time`.
    func outcomePrices(market index: Int, at time: Int64) -> [OutcomePrice] {
        let market = markets[index]
        var prices: [OutcomePrice] = []
        prices.reserveCapacity(market.outcomes.count)
        for (outcome, definition) in market.outcomes.enumerated() {
            let bookIndex = market.firstBook + outcome
            let book = books[bookIndex]
            let volume = book.volume.volume(at: time)
            let bestBid = book.hasBid ? FixedDecimal(rawValue: Int64(book.bestBid) * market.tickRaw) : nil
            let bestAsk = book.hasAsk ? FixedDecimal(rawValue: Int64(book.bestAsk) * market.tickRaw) : nil
            var mid: FixedDecimal?
            var spread: FixedDecimal?
            if let bestBid, let bestAsk {
                mid = FixedDecimal(rawValue: (bestBid.rawValue + bestAsk.rawValue) / 2)
                spread = FixedDecimal(rawValue: bestAsk.rawValue - bestBid.rawValue)
            }
            prices.append(OutcomePrice(
                marketId: market.id,
                outcomeId: definition.id,
                outcomeName: definition.name,
                bestBid: bestBid,
                bestAsk: bestAsk,
                lastPrice: book.lastTick == 0 ? nil : FixedDecimal(rawValue: Int64(book.lastTick) * market.tickRaw),
                midPrice: mid,
                spread: spread,
                volume24h: FixedDecimal(rawValue: volume)
            ))
        }
        return prices
    }

    func appendOrderUpdate(_ order: Int, events: inout [MarketEvent]) {
        let view = orderView(order)
        events.append(.order(OrderUpdate(marketId: view.marketId, operatorId: view.operatorId, order: view, timestamp: now)))
    }

    func appendPositionUpdate(_ position: Int, events: inout [MarketEvent]) {
        let view = positionView(position)
        events.append(.position(PositionUpdate(marketId: view.marketId, operatorId: view.operatorId, position: view, timestamp: now)))
    }

    func appendBookUpdate(_ book: Int, events: inout [MarketEvent]) {
        let view = bookView(book)
        events.append(.orderBook(OrderBookUpdate(marketId: view.marketId, outcomeId: view.outcomeId, orderBook: view, timestamp: now)))
    }

    func appendPriceUpdate(market: Int, events: inout [MarketEvent]) {
        let prices = outcomePrices(market: market, at: now)
        events.append(.price(PriceUpdate(marketId: markets[market].id, prices: prices, timestamp: now)))
    }
}
