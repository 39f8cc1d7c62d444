/// A named list of symbols the service watches, as configured in `INPLAY_WATCHLISTS`.
public struct Watchlist: Hashable, Sendable {
    /// The id used in `/inplay/watchlists/{id}` and in payloads (`momentum`, `futures`).
    public let id: String
    /// The symbols, in configured order (the payload lists them in this order).
    public let symbols: [String]

    /// A watchlist from its parts; ``parseConfiguration(_:)`` validates the text form.
    public init(id: String, symbols: [String]) {
        self.id = id
        self.symbols = symbols
    }
}
