import Foundation

/// The state of one watchlist as the seed defines it, for the REST response and the
/// `watchlist.update` message: `{"id", "symbols": [{"symbol", "setups"}], "updated_at"}`.
public struct WatchlistPayload: Hashable, Sendable, Codable {
    /// The watchlist id.
    public var id: String
    /// Every configured symbol in configured order, with its setups (possibly none).
    public var symbols: [SymbolSetups]
    /// When the watchlist last changed (the newest setup recorded into it), or when the book
    /// started if nothing was recorded yet.
    public var updatedAt: UTCTime

    /// A payload from its parts.
    public init(id: String, symbols: [SymbolSetups], updatedAt: UTCTime) {
        self.id = id
        self.symbols = symbols
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, symbols
        case updatedAt = "updated_at"
    }

    /// The payload as compact JSON (numbers rounded per ``JSONRounding``).
    public func jsonData() throws -> Data {
        try JSONEncoder().encode(self)
    }
}
