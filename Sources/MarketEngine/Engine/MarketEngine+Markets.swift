// MARK: Market lifecycle

extension MarketEngine {
    /// Validates and opens a market; emits MARKET_STATUS OPEN.
    mutating func createMarket(_ create: CreateMarket, events: inout [MarketEvent]) throws(EngineError) -> MarketView {
        guard !create.marketId.isEmpty else { throw EngineError.invalidMarket.with(detail: "empty marketId") }
        guard marketIndex[create.marketId] == nil else { throw EngineError.duplicateMarket.with(detail: create.marketId) }
        guard create.outcomes.count >= 2 else { throw EngineError.invalidMarket.with(detail: "at least two outcomes") }
        var seen = Set<String>()
        for outcome in create.outcomes {
            guard !outcome.id.isEmpty, !outcome.name.isEmpty else {
                throw EngineError.invalidMarket.with(detail: "outcome id and name must not be empty")
            }
            guard seen.insert(outcome.id).inserted else {
                throw EngineError.invalidMarket.with(detail: "duplicate outcome id \(outcome.id)")
            }
        }
        let tick = create.tickSize ?? Self.defaultTickSize
        guard tick >= Self.minimumTickSize, tick.rawValue < FixedDecimal.scale, FixedDecimal.scale % tick.rawValue == 0 else {
            throw EngineError.invalidMarket.with(detail: "tickSize must divide 1 and be at least 0.0001")
        }
        let index = markets.count
        let maxTick = Int(FixedDecimal.scale / tick.rawValue) - 1
        markets.append(MarketRecord(
            id: create.marketId,
            title: create.title,
            outcomes: create.outcomes,
            status: .open,
            tickRaw: tick.rawValue,
            firstBook: books.count,
            winningOutcome: nil,
            createdAt: now
        ))
        _ = marketIndex.insert(create.marketId)
        for outcome in create.outcomes.indices {
            books.append(OutcomeBook(market: index, outcome: outcome, maxTick: maxTick))
            publishedBids.append([])
            publishedAsks.append([])
        }
        events.append(.marketStatus(MarketStatusUpdate(marketId: create.marketId, status: .open, timestamp: now)))
        return marketView(index)
    }

    /// Validates and applies a lifecycle move, cancelling orders and settling as the status requires.
    mutating func changeStatus(_ change: ChangeMarketStatus, events: inout [MarketEvent]) throws(EngineError) -> MarketView {
        let index = try market(named: change.marketId)
        let current = markets[index].status
        guard current.canMove(to: change.status) else {
            throw EngineError.illegalTransition.with(detail: "\(current.rawValue) -> \(change.status.rawValue)")
        }
        var winner: Int?
        if change.status == .resolved {
            guard let winningId = change.winningOutcomeId else {
                throw EngineError.invalidMarket.with(detail: "winningOutcomeId is required to resolve")
            }
            winner = try outcome(named: winningId, inMarket: index)
        } else if change.winningOutcomeId != nil {
            throw EngineError.invalidMarket.with(detail: "winningOutcomeId is only for RESOLVED")
        }

        markets[index].status = change.status
        markets[index].winningOutcome = winner
        let marketId = markets[index].id
        events.append(.marketStatus(MarketStatusUpdate(marketId: marketId, status: change.status, timestamp: now)))
        if change.status == .closed || change.status == .resolved {
            cancelAllOrders(market: index, events: &events)
        }
        if let winner {
            settle(market: index, winner: winner, events: &events)
        }
        return marketView(index)
    }

    /// Cancels every resting order of the market: per outcome, bids best first then asks best
    /// first, FIFO within a level; then one book update per outcome that had orders and one
    /// price update.
    private mutating func cancelAllOrders(market: Int, events: inout [MarketEvent]) {
        let first = markets[market].firstBook
        var anyChanged = false
        var changedBooks: [Int] = []
        for book in first..<(first + markets[market].outcomes.count) {
            var resting: [Int] = []
            var tick = books[book].bestBid
            while tick > 0 {
                collect(books[book].bids[tick], into: &resting)
                tick -= 1
            }
            tick = books[book].bestAsk
            while tick <= books[book].maxTick {
                collect(books[book].asks[tick], into: &resting)
                tick += 1
            }
            guard !resting.isEmpty else { continue }
            for order in resting {
                unlink(order: order)
                orders[order].status = .cancelled
                positions[orders[order].position].exposure -= orders[order].remaining
                appendOrderUpdate(order, events: &events)
            }
            changedBooks.append(book)
            anyChanged = true
        }
        for book in changedBooks {
            appendBookUpdate(book, events: &events)
        }
        if anyChanged {
            appendPriceUpdate(market: market, events: &events)
        }
    }

    private func collect(_ level: PriceLevel, into list: inout [Int]) {
        var order = level.head
        while order != PriceLevel.none {
            list.append(order)
            order = orders[order].next
        }
    }

    /// Pays 1 per winning share and 0 per losing share: realised PnL += payout − totalCost,
    /// then the position is flat. One position update per position that held shares.
    private mutating func settle(market: Int, winner: Int, events: inout [MarketEvent]) {
        let winningBook = markets[market].firstBook + winner
        for index in markets[market].positions {
            let position = positions[index]
            guard position.shares != 0 || position.totalCost != 0 else { continue }
            let payout = position.book == winningBook ? position.shares : 0
            positions[index].realized = Self.saturatingAdd(position.realized, payout - position.totalCost)
            positions[index].shares = 0
            positions[index].totalCost = 0
            appendPositionUpdate(index, events: &events)
        }
    }

    /// Sum clamped to the representable range (realised PnL only).
    static func saturatingAdd(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard overflow else { return sum }
        return rhs > 0 ? .max : .min + 1
    }
}
