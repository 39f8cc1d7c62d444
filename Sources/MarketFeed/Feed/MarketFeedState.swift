/// Everything a market-ws node derives from the `market` stream: the last sequence processed,
/// a snapshot per market, the set of known markets and the recent events for resumes.
///
/// A value type mutated by one consumer; the service guards it with the same lock as the
/// fan-out so a snapshot and the subscription that follows it see the same sequence.
public struct MarketFeedState: Sendable {
    /// Sequence of the last event applied (0: none).
    public private(set) var lastSequence: UInt64
    /// Recent events, for resumes.
    public private(set) var recent: RecentEvents
    private var snapshots: [String: MarketSnapshot] = [:]
    private let configuredMarkets: Set<String>

    /// A state that knows `configuredMarkets` before any event (`MARKET_WS_MARKETS`), keeps
    /// `recentCapacity` events for resumes and starts after `startingAfter`.
    public init(configuredMarkets: some Sequence<String> = [], recentCapacity: Int = 100_000, startingAfter: UInt64 = 0) {
        self.configuredMarkets = Set(configuredMarkets)
        self.lastSequence = startingAfter
        self.recent = RecentEvents(capacity: recentCapacity, floor: startingAfter)
    }

    /// Applies an event; returns false (and changes nothing) for a sequence already applied.
    @discardableResult
    public mutating func apply(_ event: FeedEvent) -> Bool {
        guard event.sequence > lastSequence else { return false }
        lastSequence = event.sequence
        snapshots[event.marketId, default: MarketSnapshot(marketId: event.marketId)].apply(event.event, sequence: event.sequence)
        recent.append(event)
        return true
    }

    /// A market exists once an event of it was seen, or when configuration names it.
    public func isKnown(_ marketId: String) -> Bool {
        snapshots[marketId] != nil || configuredMarkets.contains(marketId)
    }

    /// Every known market id, sorted.
    public var knownMarketIds: [String] {
        Set(snapshots.keys).union(configuredMarkets).sorted()
    }

    /// The snapshot of a known market (empty when only configuration names it); `nil` when
    /// unknown.
    public func snapshot(of marketId: String) -> MarketSnapshot? {
        if let snapshot = snapshots[marketId] { return snapshot }
        return configuredMarkets.contains(marketId) ? MarketSnapshot(marketId: marketId) : nil
    }

    /// The recent events after `after` of `marketIds` that `operatorId` may see, or `nil`
    /// when the window no longer reaches back to `after`.
    public func recentEvents(after: UInt64, marketIds: Set<String>, operatorId: String) -> [FeedEvent]? {
        guard let slice = recent.events(after: after) else { return nil }
        return slice.filter { marketIds.contains($0.marketId) && $0.visibility.allows(operatorId) }
    }
}
