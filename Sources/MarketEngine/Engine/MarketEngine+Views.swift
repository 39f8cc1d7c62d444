// MARK: Views and the events built from them
//
// Helpers the command paths call are `@inline(__always)`: a non-mutating call from a mutating
// method passes the engine by value, which copies the whole struct (a `memcpy` per call).

extension MarketEngine {
    /// The public view of a market.
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

    /// The public view of an order, as ORDER_UPDATE carries it.
    @inline(__always)
    func orderView(_ index: Int) -> OrderView {
        // Fields are read one by one: copying whole records would retain their arrays and strings.
        let bookIndex = orders[index].book
        let marketIndex = books[bookIndex].market
        let tickRaw = markets[marketIndex].tickRaw
        let filled = orders[index].filled
        let status = orders[index].status
        let type = orders[index].type
        return OrderView(
            id: orders[index].id,
            marketId: markets[marketIndex].id,
            outcomeId: markets[marketIndex].outcomes[books[bookIndex].outcome].id,
            operatorId: operatorIndex.ids[orders[index].operatorIndex],
            playerId: orders[index].playerId,
            side: orders[index].side,
            type: type,
            shares: FixedDecimal(rawValue: orders[index].shares),
            price: type == .limit ? FixedDecimal(rawValue: Int64(orders[index].tick) * tickRaw) : nil,
            filledShares: FixedDecimal(rawValue: filled),
            avgFillPrice: filled == 0
                ? nil
                : FixedDecimal(rawValue: FixedDecimal.roundedQuotient(orders[index].fillNotional, Int128(filled)) ?? 0),
            remainingShares: FixedDecimal(rawValue: status.isOpen ? orders[index].remaining : 0),
            status: status,
            transactionId: orders[index].lastTrade
        )
    }

    /// The public view of a position, as POSITION_UPDATE carries it.
    @inline(__always)
    func positionView(_ index: Int) -> PositionView {
        let shares = positions[index].shares
        let totalCost = positions[index].totalCost
        let bookIndex = positions[index].book
        let marketIndex = books[bookIndex].market
        let average = shares == 0
            ? 0
            : FixedDecimal.roundedQuotient(Int128(totalCost.magnitude) * Int128(FixedDecimal.scale), Int128(shares.magnitude)) ?? 0
        return PositionView(
            id: positions[index].id,
            marketId: markets[marketIndex].id,
            outcomeId: markets[marketIndex].outcomes[books[bookIndex].outcome].id,
            operatorId: operatorIndex.ids[positions[index].operatorIndex],
            shares: FixedDecimal(rawValue: shares),
            avgPrice: FixedDecimal(rawValue: average),
            totalCost: FixedDecimal(rawValue: totalCost),
            realizedPnl: FixedDecimal(rawValue: positions[index].realized)
        )
    }

    /// The book of one outcome with at most `depth` levels per side.
    func bookView(_ index: Int, depth: Int = .max) -> OrderBookView {
        var bids: [BookLevel] = []
        bids.reserveCapacity(min(books[index].bidLevels, depth))
        appendBids(of: index, depth: depth, to: &bids)
        var asks: [BookLevel] = []
        asks.reserveCapacity(min(books[index].askLevels, depth))
        appendAsks(of: index, depth: depth, to: &asks)
        return bookView(index, bids: bids, asks: asks)
    }

    /// The book of one outcome around levels already built.
    @inline(__always)
    private func bookView(_ index: Int, bids: [BookLevel], asks: [BookLevel]) -> OrderBookView {
        let marketIndex = books[index].market
        let (bestBid, bestAsk) = bestPrices(of: index, tickRaw: markets[marketIndex].tickRaw)
        var spread: FixedDecimal?
        if let bestBid, let bestAsk { spread = FixedDecimal(rawValue: bestAsk.rawValue - bestBid.rawValue) }
        return OrderBookView(
            marketId: markets[marketIndex].id,
            outcomeId: markets[marketIndex].outcomes[books[index].outcome].id,
            bids: bids,
            asks: asks,
            bestBid: bestBid,
            bestAsk: bestAsk,
            spread: spread,
            timestamp: now
        )
    }

    /// Appends the best `depth` bid levels, highest first; the walk starts at the best bid and
    /// stops after the last non-empty level.
    @inline(__always)
    private func appendBids(of index: Int, depth: Int, to levels: inout [BookLevel]) {
        let tickRaw = markets[books[index].market].tickRaw
        var left = min(books[index].bidLevels, depth)
        var tick = books[index].bestBid
        while tick > 0 && left > 0 {
            let level = books[index].bids[tick]
            if level.orderCount > 0 {
                levels.append(BookLevel(price: FixedDecimal(rawValue: Int64(tick) * tickRaw),
                                        shares: FixedDecimal(rawValue: level.shares), orderCount: level.orderCount))
                left -= 1
            }
            tick -= 1
        }
    }

    /// Appends the best `depth` ask levels, lowest first.
    @inline(__always)
    private func appendAsks(of index: Int, depth: Int, to levels: inout [BookLevel]) {
        let tickRaw = markets[books[index].market].tickRaw
        let maxTick = books[index].maxTick
        var left = min(books[index].askLevels, depth)
        var tick = books[index].bestAsk
        while tick <= maxTick && left > 0 {
            let level = books[index].asks[tick]
            if level.orderCount > 0 {
                levels.append(BookLevel(price: FixedDecimal(rawValue: Int64(tick) * tickRaw),
                                        shares: FixedDecimal(rawValue: level.shares), orderCount: level.orderCount))
                left -= 1
            }
            tick += 1
        }
    }

    /// The book as ORDERBOOK_UPDATE carries it (``bookDepth`` levels per side): a side that
    /// did not change since the last update reuses its levels, a changed side is rebuilt in
    /// the previous levels' storage when no event holds it any more.
    private mutating func publishedBookView(_ index: Int) -> OrderBookView {
        let tickRaw = markets[books[index].market].tickRaw
        if books[index].bidsChanged {
            books[index].bidsChanged = false
            Self.rewrite(&publishedBids[index], count: min(books[index].bidLevels, bookDepth), from: books[index].bids,
                         best: books[index].bestBid, step: -1, tickRaw: tickRaw)
        }
        if books[index].asksChanged {
            books[index].asksChanged = false
            Self.rewrite(&publishedAsks[index], count: min(books[index].askLevels, bookDepth), from: books[index].asks,
                         best: books[index].bestAsk, step: 1, tickRaw: tickRaw)
        }
        return bookView(index, bids: publishedBids[index], asks: publishedAsks[index])
    }

    /// Overwrites `levels` with the first `count` non-empty levels of `side` from tick `best`
    /// outwards (`step` −1 for bids, +1 for asks): the same levels as `appendBids`/`appendAsks`,
    /// written in place (levels are plain data) instead of appended one by one.
    @inline(__always)
    private static func rewrite(_ levels: inout [BookLevel], count: Int, from side: [PriceLevel],
                                best: Int, step: Int, tickRaw: Int64) {
        while levels.count > count { levels.removeLast() }
        while levels.count < count { levels.append(BookLevel(price: .zero, shares: .zero, orderCount: 0)) }
        let written = side.withUnsafeBufferPointer { side in levels.withUnsafeMutableBufferPointer { out in
            // Ticks 1...side.count - 2 hold levels; 0 and the last are sentinels.
            var tick = best
            var written = 0
            while written < count && tick > 0 && tick < side.count - 1 {
                let level = side[tick]
                if level.orderCount > 0 {
                    out[written] = BookLevel(price: FixedDecimal(rawValue: Int64(tick) * tickRaw),
                                             shares: FixedDecimal(rawValue: level.shares), orderCount: level.orderCount)
                    written += 1
                }
                tick += step
            }
            return written
        } }
        while levels.count > written { levels.removeLast() }
    }

    /// Prices of every outcome of a market, with 24 h volumes as of `time`.
    func outcomePrices(market index: Int, at time: Int64) -> [OutcomePrice] {
        let firstBook = markets[index].firstBook
        let tickRaw = markets[index].tickRaw
        return markets[index].outcomes.indices.map { outcome in
            let figures = priceFigures(book: firstBook + outcome, tickRaw: tickRaw, at: time)
            return OutcomePrice(
                marketId: markets[index].id,
                outcomeId: markets[index].outcomes[outcome].id,
                outcomeName: markets[index].outcomes[outcome].name,
                bestBid: figures.bestBid,
                bestAsk: figures.bestAsk,
                lastPrice: figures.lastPrice,
                midPrice: figures.midPrice,
                spread: figures.spread,
                volume24h: figures.volume24h
            )
        }
    }

    /// A book's best bid and best ask as prices (`nil` for an empty side).
    @inline(__always)
    private func bestPrices(of book: Int, tickRaw: Int64) -> (bid: FixedDecimal?, ask: FixedDecimal?) {
        let bid = books[book].bestBid
        let ask = books[book].bestAsk
        return (bid > 0 ? FixedDecimal(rawValue: Int64(bid) * tickRaw) : nil,
                ask <= books[book].maxTick ? FixedDecimal(rawValue: Int64(ask) * tickRaw) : nil)
    }

    /// The figures of one outcome's price summary (all of it but its ids and name).
    @inline(__always)
    private func priceFigures(book: Int, tickRaw: Int64, at time: Int64) -> (
        bestBid: FixedDecimal?, bestAsk: FixedDecimal?, lastPrice: FixedDecimal?,
        midPrice: FixedDecimal?, spread: FixedDecimal?, volume24h: FixedDecimal
    ) {
        let lastTick = books[book].lastTick
        let (bestBid, bestAsk) = bestPrices(of: book, tickRaw: tickRaw)
        var mid: FixedDecimal?
        var spread: FixedDecimal?
        if let bestBid, let bestAsk {
            mid = FixedDecimal(rawValue: (bestBid.rawValue + bestAsk.rawValue) / 2)
            spread = FixedDecimal(rawValue: bestAsk.rawValue - bestBid.rawValue)
        }
        return (bestBid, bestAsk, lastTick == 0 ? nil : FixedDecimal(rawValue: Int64(lastTick) * tickRaw),
                mid, spread, FixedDecimal(rawValue: books[book].volume.volume(at: time)))
    }

    /// Appends the ORDER_UPDATE of an order.
    @inline(__always)
    func appendOrderUpdate(_ order: Int, events: inout [MarketEvent]) {
        events.append(.order(OrderUpdate(order: orderView(order), timestamp: now)))
    }

    /// Appends the ORDER_UPDATE of an order and returns the view it carries (the command's
    /// answer): one view, whose copy in the event shares its strings.
    @inline(__always)
    func appendOrderUpdateReturningView(_ order: Int, events: inout [MarketEvent]) -> OrderView {
        let view = orderView(order)
        events.append(.order(OrderUpdate(order: view, timestamp: now)))
        return view
    }

    /// Appends the POSITION_UPDATE of a position.
    @inline(__always)
    func appendPositionUpdate(_ position: Int, events: inout [MarketEvent]) {
        let view = positionView(position)
        events.append(.position(PositionUpdate(position: view, timestamp: now)))
    }

    /// Appends the ORDERBOOK_UPDATE of a book, limited to ``bookDepth`` levels per side.
    mutating func appendBookUpdate(_ book: Int, events: inout [MarketEvent]) {
        let view = publishedBookView(book)
        events.append(.orderBook(OrderBookUpdate(orderBook: view, timestamp: now)))
    }

    /// Appends the PRICE_UPDATE of every outcome of a market.
    ///
    /// The last update's entries are refreshed in place: an outcome's ids and name never
    /// change, so only its figures are written (in the same storage once no event holds it).
    mutating func appendPriceUpdate(market: Int, events: inout [MarketEvent]) {
        var prices = markets[market].publishedPrices
        markets[market].publishedPrices = []
        if prices.count == markets[market].outcomes.count {
            let firstBook = markets[market].firstBook
            let tickRaw = markets[market].tickRaw
            for outcome in prices.indices {
                let figures = priceFigures(book: firstBook + outcome, tickRaw: tickRaw, at: now)
                prices[outcome].bestBid = figures.bestBid
                prices[outcome].bestAsk = figures.bestAsk
                prices[outcome].lastPrice = figures.lastPrice
                prices[outcome].midPrice = figures.midPrice
                prices[outcome].spread = figures.spread
                prices[outcome].volume24h = figures.volume24h
            }
        } else {
            // The market's first update: build its entries.
            prices = outcomePrices(market: market, at: now)
        }
        markets[market].publishedPrices = prices
        events.append(.price(PriceUpdate(marketId: markets[market].id, prices: prices, timestamp: now)))
    }
}
