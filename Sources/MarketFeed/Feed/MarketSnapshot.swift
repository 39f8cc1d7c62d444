import MarketEngine

/// The public state of one market as the events describe it: status, the last order book of
/// each outcome and the last prices. A new subscriber starts from it instead of waiting for
/// the next change (the "stale book" operators complain about).
public struct MarketSnapshot: Sendable, Equatable {
    /// Market id.
    public let marketId: String
    /// Last MARKET_STATUS seen; `nil` before any (a market named by configuration only).
    public private(set) var status: MarketStatus?
    /// The last ORDERBOOK_UPDATE book of each outcome, in the order outcomes were first seen.
    public private(set) var orderBooks: [OrderBookView] = []
    /// The prices of the last PRICE_UPDATE.
    public private(set) var prices: [OutcomePrice] = []
    /// Sequence of the last event of this market applied (0: none).
    public private(set) var lastSequence: UInt64 = 0
    /// Timestamp (ms) of the last event applied (0: none).
    public private(set) var timestamp: Int64 = 0

    /// An empty snapshot (nothing seen yet).
    public init(marketId: String) {
        self.marketId = marketId
    }

    /// Folds one event of this market in. Private events change nothing public.
    public mutating func apply(_ event: MarketEvent, sequence: UInt64) {
        switch event {
        case .marketStatus(let update):
            status = update.status
        case .orderBook(let update):
            if let index = orderBooks.firstIndex(where: { $0.outcomeId == update.outcomeId }) {
                orderBooks[index] = update.orderBook
            } else {
                orderBooks.append(update.orderBook)
            }
        case .price(let update):
            prices = update.prices
        case .trade, .order, .position:
            break
        }
        lastSequence = max(lastSequence, sequence)
        timestamp = max(timestamp, event.timestamp)
    }

    /// `{"type":"SNAPSHOT","seq":N,"payload":{"marketId":...,"status":...,"orderBooks":[...],
    /// "prices":[...],"timestamp":...}}` where `N` is the feed sequence the state is
    /// consistent with: it includes every event up to N, and the live events that follow
    /// have sequences greater than N.
    public func message(sequence: UInt64) -> [UInt8] {
        let encoder = EventJSONEncoder()
        var out = Array(#"{"type":"SNAPSHOT","seq":\#(sequence),"payload":{"marketId":"#.utf8)
        JSONWriting.appendString(marketId, to: &out)
        out.append(contentsOf: #","status":"#.utf8)
        if let status {
            out.append(contentsOf: "\"\(status.rawValue)\"".utf8)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: #","orderBooks":["#.utf8)
        for (index, book) in orderBooks.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            encoder.write(book, into: &out)
        }
        out.append(contentsOf: #"],"prices":["#.utf8)
        for (index, price) in prices.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            encoder.write(price, into: &out)
        }
        out.append(contentsOf: #"],"timestamp":\#(timestamp)}}"#.utf8)
        return out
    }
}
