/// The setup engine and the watchlist book together: what the `inplay` service owns (inside
/// one actor) to turn bars into `watchlist.update` pushes and REST answers.
public struct InPlayMonitor: Sendable {
    /// Detection state and hit rates.
    public private(set) var engine: SetupEngine
    /// Current setups per watchlist.
    public private(set) var book: WatchlistBook

    /// A monitor over the given watchlists.
    public init(watchlists: [Watchlist], engine: SetupEngine = SetupEngine(), maximumSetupsPerSymbol: Int = 20, startedAt: UTCTime) {
        self.engine = engine
        self.book = WatchlistBook(watchlists: watchlists, maximumSetupsPerSymbol: maximumSetupsPerSymbol, startedAt: startedAt)
    }

    /// Processes one bar and returns the ids of the watchlists that changed (push those).
    /// Bars of symbols on no watchlist are skipped without cost.
    public mutating func process(_ bar: Bar) throws(SetupEngineError) -> [String] {
        guard book.isWatched(bar.symbol) else { return [] }
        let setups = try engine.process(bar)
        return book.record(setups)
    }

    /// The `watchlist.update` messages for some watchlist ids (unknown ids are skipped).
    public func updateMessages(for ids: [String]) -> [WatchlistUpdateMessage] {
        ids.compactMap { book.payload(for: $0) }.map(WatchlistUpdateMessage.init(payload:))
    }
}
