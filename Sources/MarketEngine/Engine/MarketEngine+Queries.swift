// MARK: Read-only queries for the REST layer

extension MarketEngine {
    /// Every market, in creation order.
    public var allMarkets: [MarketView] {
        markets.indices.map(marketView)
    }

    /// One market, or `nil`.
    public func market(id: String) -> MarketView? {
        marketIndex[id].map(marketView)
    }

    /// One order by id, or `nil`.
    public func order(id: String) -> OrderView? {
        orderIndex(of: id).map(orderView)
    }

    /// An operator's orders, oldest first, optionally of one market and only the open ones.
    public func orders(operatorId: String, marketId: String? = nil, openOnly: Bool = false) -> [OrderView] {
        guard let operatorIndex = operatorIndex[operatorId] else { return [] }
        let market = marketId.flatMap { marketIndex[$0] }
        if marketId != nil && market == nil { return [] }
        return ordersByOperator[operatorIndex].compactMap { index in
            let order = orders[index]
            if let market, books[order.book].market != market { return nil }
            if openOnly && !order.status.isOpen { return nil }
            return orderView(index)
        }
    }

    /// An operator's positions, optionally in one market, in creation order.
    public func positions(operatorId: String, marketId: String? = nil) -> [PositionView] {
        guard let operatorIndex = operatorIndex[operatorId] else { return [] }
        var result: [PositionView] = []
        for (index, position) in positions.enumerated() where position.operatorIndex == operatorIndex {
            if let marketId, markets[books[position.book].market].id != marketId { continue }
            result.append(positionView(index))
        }
        return result
    }

    /// The aggregated book of one outcome, every level unless `depth` limits each side
    /// (timestamped with the last command's time).
    public func orderBook(marketId: String, outcomeId: String, depth: Int? = nil) throws(EngineError) -> OrderBookView {
        let index = try market(named: marketId)
        let outcome = try outcome(named: outcomeId, inMarket: index)
        return bookView(markets[index].firstBook + outcome, depth: max(depth ?? .max, 0))
    }

    /// Price summaries of every outcome of a market at `time` (ms; volumes age with it).
    public func prices(marketId: String, at time: Int64) throws(EngineError) -> [OutcomePrice] {
        let index = try market(named: marketId)
        return outcomePrices(market: index, at: time)
    }
}
