/// The current setups of every watched symbol, arranged per watchlist, and the knowledge of
/// which watchlists a batch of setups changed.
///
/// Setups are stored once per symbol (a symbol in two watchlists is not duplicated), most
/// recent first, at most ``maximumSetupsPerSymbol`` of them (older ones fall off). Setups for
/// symbols that no watchlist names are ignored.
public struct WatchlistBook: Sendable {
    /// The configured watchlists, in configuration order.
    public let watchlists: [Watchlist]
    /// How many setups each symbol keeps.
    public let maximumSetupsPerSymbol: Int

    private let indexByID: [String: Int]
    private let watchlistIndicesBySymbol: [String: [Int]]
    private var setupsBySymbol: [String: [Setup]] = [:]
    private var updatedAt: [UTCTime]

    /// A book over some watchlists; `startedAt` is the `updated_at` of a watchlist that has not
    /// changed yet.
    public init(watchlists: [Watchlist], maximumSetupsPerSymbol: Int = 20, startedAt: UTCTime) {
        self.watchlists = watchlists
        self.maximumSetupsPerSymbol = max(1, maximumSetupsPerSymbol)
        var indexByID: [String: Int] = [:]
        var bySymbol: [String: [Int]] = [:]
        for (index, watchlist) in watchlists.enumerated() {
            indexByID[watchlist.id] = index
            for symbol in watchlist.symbols where bySymbol[symbol]?.last != index {
                bySymbol[symbol, default: []].append(index)
            }
        }
        self.indexByID = indexByID
        self.watchlistIndicesBySymbol = bySymbol
        self.updatedAt = Array(repeating: startedAt, count: watchlists.count)
    }

    /// True when a symbol is on at least one watchlist (worth feeding to the engine).
    public func isWatched(_ symbol: String) -> Bool { watchlistIndicesBySymbol[symbol] != nil }

    /// Records new setups and returns the ids of the watchlists they changed, in configuration
    /// order, each once: the watchlists to push a `watchlist.update` for.
    public mutating func record(_ setups: [Setup]) -> [String] {
        guard !setups.isEmpty else { return [] }
        var changed: [Bool]?
        for setup in setups {
            guard let indices = watchlistIndicesBySymbol[setup.symbol] else { continue }
            insert(setup)
            if changed == nil { changed = Array(repeating: false, count: watchlists.count) }
            for index in indices {
                changed?[index] = true
                if setup.updatedAt > updatedAt[index] { updatedAt[index] = setup.updatedAt }
            }
        }
        guard let changed else { return [] }
        return watchlists.indices.filter { changed[$0] }.map { watchlists[$0].id }
    }

    /// A symbol's current setups, most recent first.
    public func setups(for symbol: String) -> [Setup] { setupsBySymbol[symbol] ?? [] }

    /// The seed payload of a watchlist, nil for an unknown id. With a session, only setups of
    /// that session are listed (every symbol still appears); without, all of them.
    public func payload(for id: String, session: SessionName? = nil) -> WatchlistPayload? {
        guard let index = indexByID[id] else { return nil }
        let watchlist = watchlists[index]
        let symbols = watchlist.symbols.map { symbol in
            var setups = setupsBySymbol[symbol] ?? []
            if let session { setups.removeAll { $0.session != session } }
            return SymbolSetups(symbol: symbol, setups: setups)
        }
        return WatchlistPayload(id: watchlist.id, symbols: symbols, updatedAt: updatedAt[index])
    }

    /// Inserts before the first stored setup that is not newer, keeping most-recent-first order
    /// even when setups arrive late; equal times put the later-recorded setup first.
    private mutating func insert(_ setup: Setup) {
        var list = setupsBySymbol.removeValue(forKey: setup.symbol) ?? []
        let position = list.firstIndex { $0.updatedAt <= setup.updatedAt } ?? list.endIndex
        list.insert(setup, at: position)
        if list.count > maximumSetupsPerSymbol { list.removeLast(list.count - maximumSetupsPerSymbol) }
        setupsBySymbol[setup.symbol] = list
    }
}
