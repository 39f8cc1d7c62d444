/// The engine's whole observable state as plain values, for comparing a live engine with one
/// rebuilt from its journal (crash tests) and for debugging dumps.
public struct EngineSnapshot: Codable, Hashable, Sendable {
    /// One side's level with its FIFO of order ids, front first.
    public struct Level: Codable, Hashable, Sendable {
        /// Level price.
        public var price: FixedDecimal
        /// Sum of remaining shares.
        public var shares: FixedDecimal
        /// Resting order ids in time priority.
        public var orderIds: [String]
    }

    /// The book of one outcome with its trading statistics.
    public struct Book: Codable, Hashable, Sendable {
        /// Market id.
        public var marketId: String
        /// Outcome id.
        public var outcomeId: String
        /// Bids, best first.
        public var bids: [Level]
        /// Asks, best first.
        public var asks: [Level]
        /// Last trade price, if any.
        public var lastPrice: FixedDecimal?
        /// Trailing 24 h volume at the snapshot's time.
        public var volume24h: FixedDecimal
    }

    /// Markets in creation order.
    public var markets: [MarketView]
    /// Books in market, then outcome order.
    public var books: [Book]
    /// Every order ever accepted, oldest first.
    public var orders: [OrderView]
    /// Idempotency keys as `operatorId/clientOrderId -> orderId`, sorted.
    public var clientOrderIds: [String]
    /// Every position, in creation order.
    public var positions: [PositionView]
    /// Trades so far.
    public var tradeCount: Int
    /// Sequence the next accepted command gets.
    public var nextSequence: UInt64
}

extension MarketEngine {
    /// The state as values; volumes are read at `time` (ms).
    public func snapshot(at time: Int64) -> EngineSnapshot {
        var snapshotBooks: [EngineSnapshot.Book] = []
        for book in books {
            let market = markets[book.market]
            func levels(_ side: [PriceLevel], ticks: some Sequence<Int>) -> [EngineSnapshot.Level] {
                ticks.compactMap { tick in
                    let level = side[tick]
                    guard level.orderCount > 0 else { return nil }
                    var ids: [String] = []
                    var order = level.head
                    while order != PriceLevel.none {
                        ids.append(orders[order].id)
                        order = orders[order].next
                    }
                    return EngineSnapshot.Level(price: FixedDecimal(rawValue: Int64(tick) * market.tickRaw),
                                                shares: FixedDecimal(rawValue: level.shares), orderIds: ids)
                }
            }
            snapshotBooks.append(EngineSnapshot.Book(
                marketId: market.id,
                outcomeId: market.outcomes[book.outcome].id,
                bids: levels(book.bids, ticks: stride(from: book.maxTick, through: 1, by: -1)),
                asks: levels(book.asks, ticks: 1...max(book.maxTick, 1)),
                lastPrice: book.lastTick == 0 ? nil : FixedDecimal(rawValue: Int64(book.lastTick) * market.tickRaw),
                volume24h: FixedDecimal(rawValue: book.volume.volume(at: time))
            ))
        }
        let keys = clientOrders.map { key, order in
            "\(operatorIndex.ids[key.operatorIndex])/\(key.clientOrderId) -> ord-\(order + 1)"
        }.sorted()
        return EngineSnapshot(
            markets: allMarkets,
            books: snapshotBooks,
            orders: orders.indices.map(orderView),
            clientOrderIds: keys,
            positions: positions.indices.map(positionView),
            tradeCount: tradeCount,
            nextSequence: nextSequence
        )
    }
}
