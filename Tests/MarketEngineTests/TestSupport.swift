import MarketEngine
import Synchronization

/// A clock tests move by hand, so timestamps in events are known.
final class ManualClock: Sendable {
    private let millis: Mutex<Int64>

    init(_ start: Int64 = 1_708_293_600_000) {
        millis = Mutex(start)
    }

    var now: Int64 { millis.withLock { $0 } }

    func advance(by delta: Int64) {
        millis.withLock { $0 += delta }
    }

    var read: @Sendable () -> Int64 {
        { [self] in now }
    }
}

/// Builders for the commands tests use most.
enum Fixture {
    static let time: Int64 = 1_708_293_600_000
    static let market = "m1"
    static let yes = "m1-yes"
    static let no = "m1-no"

    /// An engine with the binary market `m1` at a fixed time.
    static func engine(clock: ManualClock = ManualClock()) throws -> MarketEngine {
        var engine = MarketEngine(clock: clock.read)
        _ = try engine.apply(.createMarket(.binary(marketId: market, title: "Will it rain?")))
        return engine
    }

    static func limit(
        _ side: OrderSide, _ shares: FixedDecimal, at price: FixedDecimal, by operatorId: String,
        outcome: String = yes, market: String = market, clientOrderId: String? = nil
    ) -> EngineCommand {
        .placeOrder(PlaceOrder(marketId: market, outcomeId: outcome, side: side, type: .limit, shares: shares,
                               price: price, operatorId: operatorId, playerId: "player-\(operatorId)",
                               clientOrderId: clientOrderId))
    }

    static func marketOrder(_ side: OrderSide, _ shares: FixedDecimal, by operatorId: String, outcome: String = yes) -> EngineCommand {
        .placeOrder(PlaceOrder(marketId: market, outcomeId: outcome, side: side, type: .market, shares: shares,
                               price: nil, operatorId: operatorId, playerId: "player-\(operatorId)"))
    }

    static func cancel(_ orderId: String, by operatorId: String) -> EngineCommand {
        .cancelOrder(CancelOrder(orderId: orderId, operatorId: operatorId))
    }

    static func status(_ status: MarketStatus, winner: String? = nil, market: String = market) -> EngineCommand {
        .changeMarketStatus(ChangeMarketStatus(marketId: market, status: status, winningOutcomeId: winner))
    }
}

extension CommandOutcome {
    /// The order of a place or cancel result.
    var order: OrderView? {
        if case .order(let order) = result { return order }
        return nil
    }

    var trades: [TradeEvent] {
        events.compactMap { if case .trade(let trade) = $0 { trade } else { nil } }
    }

    var orderUpdates: [OrderView] {
        events.compactMap { if case .order(let update) = $0 { update.order } else { nil } }
    }

    var positionUpdates: [PositionView] {
        events.compactMap { if case .position(let update) = $0 { update.position } else { nil } }
    }

    var books: [OrderBookView] {
        events.compactMap { if case .orderBook(let update) = $0 { update.orderBook } else { nil } }
    }

    var priceUpdates: [PriceUpdate] {
        events.compactMap { if case .price(let update) = $0 { update } else { nil } }
    }

    var types: [String] { events.map(\.type) }
}

extension MarketEngine {
    func position(_ operatorId: String, _ outcomeId: String = Fixture.yes) -> PositionView? {
        positions(operatorId: operatorId).first { $0.outcomeId == outcomeId }
    }

    func book(_ outcomeId: String = Fixture.yes) throws -> OrderBookView {
        try orderBook(marketId: Fixture.market, outcomeId: outcomeId)
    }
}

/// Levels written as (price, shares, orderCount) for compact expectations.
func levels(_ list: [(FixedDecimal, FixedDecimal, Int)]) -> [BookLevel] {
    list.map { BookLevel(price: $0.0, shares: $0.1, orderCount: $0.2) }
}
