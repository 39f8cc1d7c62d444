/// The order book of one outcome: price levels in arrays indexed by tick number (price =
/// tick × tickSize, ticks 1...maxTick), so finding a level is an index, not a search.
struct OutcomeBook: Sendable {
    /// Index of the market.
    let market: Int
    /// Index of the outcome within its market.
    let outcome: Int
    /// Highest tick strictly below a price of 1.
    let maxTick: Int
    /// Index 0 and maxTick+1 are unused sentinels.
    /// Buy levels by tick.
    var bids: [PriceLevel]
    /// Sell levels by tick.
    var asks: [PriceLevel]
    /// Highest non-empty bid tick, 0 when there is none.
    var bestBid = 0
    /// Lowest non-empty ask tick, maxTick + 1 when there is none.
    var bestAsk: Int
    /// Number of non-empty levels per side, so views size their arrays once and stop early.
    var bidLevels = 0
    /// Non-empty ask levels.
    var askLevels = 0
    /// Tick of the latest trade, 0 before any.
    var lastTick = 0
    /// Shares traded in the trailing 24 hours.
    var volume = VolumeWindow()
    /// True when some bid level changed since ORDERBOOK_UPDATE last carried the bids
    /// (``MarketEngine/publishedBids``).
    var bidsChanged = true
    /// True when some ask level changed since ORDERBOOK_UPDATE last carried the asks.
    var asksChanged = true

    /// An empty book with levels for ticks 1...maxTick.
    init(market: Int, outcome: Int, maxTick: Int) {
        self.market = market
        self.outcome = outcome
        self.maxTick = maxTick
        self.bids = Array(repeating: PriceLevel(), count: maxTick + 2)
        self.asks = Array(repeating: PriceLevel(), count: maxTick + 2)
        self.bestAsk = maxTick + 1
    }

    /// True when some bid rests.
    var hasBid: Bool { bestBid > 0 }
    /// True when some ask rests.
    var hasAsk: Bool { bestAsk <= maxTick }

    /// Moves `bestBid` down to the next non-empty level after the best one emptied.
    mutating func refreshBestBid() {
        var tick = bestBid
        while tick > 0 && bids[tick].orderCount == 0 { tick -= 1 }
        bestBid = tick
    }

    /// Moves `bestAsk` up to the next non-empty level after the best one emptied.
    mutating func refreshBestAsk() {
        var tick = bestAsk
        while tick <= maxTick && asks[tick].orderCount == 0 { tick += 1 }
        bestAsk = tick
    }
}
