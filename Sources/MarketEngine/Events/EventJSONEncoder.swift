/// Writes events as JSON bytes by hand: exact decimals (`0.665`, never `0.66500000001`), the
/// seed's field order, no Foundation, no intermediate dictionaries.
///
/// Number fields of the seed (prices, shares of trades and levels, volume) are JSON numbers;
/// amounts of orders and positions are JSON strings, as in the seed. Absent optionals are
/// written as `null`, never omitted, so every message of a type has the same key set.
public struct EventJSONEncoder: Sendable {
    /// An encoder; it holds no state.
    public init() {}

    /// The message bytes of one event.
    public func encode(_ event: MarketEvent) -> [UInt8] {
        var buffer = [UInt8]()
        buffer.reserveCapacity(256)
        encode(event, into: &buffer)
        return buffer
    }

    /// Appends one event message to `buffer` (reuse the buffer to avoid allocations).
    public func encode(_ event: MarketEvent, into buffer: inout [UInt8]) {
        // Written in a stack scratch buffer (a heap one only for the rare larger message),
        // then copied once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { scratch in
            var writer = ByteWriter(scratch: scratch)
            write(event, into: &writer)
            writer.copy(into: &buffer)
        }
    }

    /// Appends an order book object (also what REST serves for a book).
    public func write(_ book: OrderBookView, into buffer: inout [UInt8]) {
        var writer = ByteWriter()
        write(book, into: &writer)
        writer.copy(into: &buffer)
    }

    /// Appends an outcome price object (also what REST serves for prices).
    public func write(_ price: OutcomePrice, into buffer: inout [UInt8]) {
        var writer = ByteWriter(capacity: 256)
        write(price, into: &writer)
        writer.copy(into: &buffer)
    }

    /// Appends an order object with the seed's string amounts.
    public func write(_ order: OrderView, into buffer: inout [UInt8]) {
        var writer = ByteWriter(capacity: 512)
        write(order, into: &writer)
        writer.copy(into: &buffer)
    }

    /// Appends a position object with the seed's string amounts.
    public func write(_ position: PositionView, into buffer: inout [UInt8]) {
        var writer = ByteWriter(capacity: 512)
        write(position, into: &writer)
        writer.copy(into: &buffer)
    }

    // MARK: Writers

    private func write(_ event: MarketEvent, into buffer: inout ByteWriter) {
        buffer.append(#"{"type":""# as StaticString)
        buffer.append(event.type)
        buffer.append(#"","payload":"# as StaticString)
        switch event {
        case .trade(let trade): write(trade, into: &buffer)
        case .orderBook(let update): write(update, into: &buffer)
        case .price(let update): write(update, into: &buffer)
        case .marketStatus(let update): write(update, into: &buffer)
        case .order(let update): write(update, into: &buffer)
        case .position(let update): write(update, into: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    private func write(_ book: OrderBookView, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("marketId", book.marketId, &buffer)
        json.string("outcomeId", book.outcomeId, &buffer)
        json.key("bids", &buffer)
        Self.writeLevels(book.bids, into: &buffer)
        json.key("asks", &buffer)
        Self.writeLevels(book.asks, into: &buffer)
        json.number("bestBid", book.bestBid, &buffer)
        json.number("bestAsk", book.bestAsk, &buffer)
        json.number("spread", book.spread, &buffer)
        json.integer("timestamp", book.timestamp, &buffer)
        json.close(&buffer)
    }

    private func write(_ price: OutcomePrice, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("marketId", price.marketId, &buffer)
        json.string("outcomeId", price.outcomeId, &buffer)
        json.string("outcomeName", price.outcomeName, &buffer)
        json.number("bestBid", price.bestBid, &buffer)
        json.number("bestAsk", price.bestAsk, &buffer)
        json.number("lastPrice", price.lastPrice, &buffer)
        json.number("midPrice", price.midPrice, &buffer)
        json.number("spread", price.spread, &buffer)
        json.number("volume24h", price.volume24h, &buffer)
        json.close(&buffer)
    }

    private func write(_ order: OrderView, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("id", order.id, &buffer)
        json.string("marketId", order.marketId, &buffer)
        json.string("outcomeId", order.outcomeId, &buffer)
        json.string("operatorId", order.operatorId, &buffer)
        json.string("playerId", order.playerId, &buffer)
        json.raw("side", order.side.rawValue, &buffer)
        json.raw("type", order.type.rawValue, &buffer)
        json.decimalString("shares", order.shares, &buffer)
        json.decimalString("price", order.price, &buffer)
        json.decimalString("filledShares", order.filledShares, &buffer)
        json.decimalString("avgFillPrice", order.avgFillPrice, &buffer)
        json.decimalString("remainingShares", order.remainingShares, &buffer)
        json.raw("status", order.status.rawValue, &buffer)
        json.string("transactionId", order.transactionId, &buffer)
        json.close(&buffer)
    }

    private func write(_ position: PositionView, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("id", position.id, &buffer)
        json.string("marketId", position.marketId, &buffer)
        json.string("outcomeId", position.outcomeId, &buffer)
        json.string("operatorId", position.operatorId, &buffer)
        json.decimalString("shares", position.shares, &buffer)
        json.decimalString("avgPrice", position.avgPrice, &buffer)
        json.decimalString("totalCost", position.totalCost, &buffer)
        json.decimalString("realizedPnl", position.realizedPnl, &buffer)
        json.close(&buffer)
    }

    private func write(_ trade: TradeEvent, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("marketId", trade.marketId, &buffer)
        json.string("outcomeId", trade.outcomeId, &buffer)
        json.number("price", trade.price, &buffer)
        json.number("shares", trade.shares, &buffer)
        json.raw("side", trade.side.rawValue, &buffer)
        json.integer("timestamp", trade.timestamp, &buffer)
        json.close(&buffer)
    }

    private func write(_ update: OrderBookUpdate, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("marketId", update.marketId, &buffer)
        json.string("outcomeId", update.outcomeId, &buffer)
        json.key("orderBook", &buffer)
        write(update.orderBook, into: &buffer)
        json.integer("timestamp", update.timestamp, &buffer)
        json.close(&buffer)
    }

    private func write(_ update: PriceUpdate, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("marketId", update.marketId, &buffer)
        json.key("prices", &buffer)
        buffer.append(UInt8(ascii: "["))
        for (index, price) in update.prices.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            write(price, into: &buffer)
        }
        buffer.append(UInt8(ascii: "]"))
        json.integer("timestamp", update.timestamp, &buffer)
        json.close(&buffer)
    }

    private func write(_ update: MarketStatusUpdate, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("marketId", update.marketId, &buffer)
        json.raw("status", update.status.rawValue, &buffer)
        json.integer("timestamp", update.timestamp, &buffer)
        json.close(&buffer)
    }

    private func write(_ update: OrderUpdate, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("marketId", update.marketId, &buffer)
        json.string("operatorId", update.operatorId, &buffer)
        json.key("order", &buffer)
        write(update.order, into: &buffer)
        json.integer("timestamp", update.timestamp, &buffer)
        json.close(&buffer)
    }

    private func write(_ update: PositionUpdate, into buffer: inout ByteWriter) {
        var json = JSONObjectWriter(opening: &buffer)
        json.string("marketId", update.marketId, &buffer)
        json.string("operatorId", update.operatorId, &buffer)
        json.key("position", &buffer)
        write(update.position, into: &buffer)
        json.integer("timestamp", update.timestamp, &buffer)
        json.close(&buffer)
    }

    private static func writeLevels(_ levels: [BookLevel], into buffer: inout ByteWriter) {
        buffer.append(UInt8(ascii: "["))
        for (index, level) in levels.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(#"{"price":"# as StaticString)
            buffer.append(level.price)
            buffer.append(#","shares":"# as StaticString)
            buffer.append(level.shares)
            buffer.append(#","orderCount":"# as StaticString)
            buffer.appendDigits(UInt64(max(level.orderCount, 0)))
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.append(UInt8(ascii: "]"))
    }
}
