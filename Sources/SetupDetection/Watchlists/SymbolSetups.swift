/// One symbol's entry in a watchlist payload: `{"symbol": ..., "setups": [...]}`, most recent
/// setup first.
public struct SymbolSetups: Hashable, Sendable, Codable {
    /// The symbol, as configured.
    public var symbol: String
    /// Its current setups, most recent first.
    public var setups: [Setup]

    /// An entry from its parts.
    public init(symbol: String, setups: [Setup]) {
        self.symbol = symbol
        self.setups = setups
    }

    private enum CodingKeys: String, CodingKey {
        case symbol, setups
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let symbol = try container.decode(String.self, forKey: .symbol)
        self.symbol = symbol
        self.setups = try container.decode([Setup].self, forKey: .setups).map { setup in
            var setup = setup
            setup.symbol = symbol
            return setup
        }
    }
}
