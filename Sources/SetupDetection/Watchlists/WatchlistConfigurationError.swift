/// Why `INPLAY_WATCHLISTS` was refused; the description names the entry, id or symbol at fault
/// so the service can stop at start with a message an operator can act on.
public struct WatchlistConfigurationError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case emptyEntry(position: Int)
        case missingEquals(entry: String)
        case tooManyEquals(entry: String)
        case emptyID(entry: String)
        case invalidID(id: String, character: Character)
        case duplicateID(String)
        case noSymbols(id: String)
        case emptySymbol(id: String)
        case invalidSymbol(id: String, symbol: String, character: Character)
        case duplicateSymbol(id: String, symbol: String)
    }

    private let kind: Kind

    /// Two `;` in a row (or a leading `;`): entry number `position` (1-based) is empty.
    public static func emptyEntry(position: Int) -> Self { .init(kind: .emptyEntry(position: position)) }
    /// An entry has no `=` between the id and the symbols.
    public static func missingEquals(entry: String) -> Self { .init(kind: .missingEquals(entry: entry)) }
    /// An entry has more than one `=`.
    public static func tooManyEquals(entry: String) -> Self { .init(kind: .tooManyEquals(entry: entry)) }
    /// Nothing before the `=`.
    public static func emptyID(entry: String) -> Self { .init(kind: .emptyID(entry: entry)) }
    /// The id holds a character other than letters, digits, `_`, `-`, `.`.
    public static func invalidID(id: String, character: Character) -> Self { .init(kind: .invalidID(id: id, character: character)) }
    /// The same id is defined twice.
    public static func duplicateID(_ id: String) -> Self { .init(kind: .duplicateID(id)) }
    /// Nothing after the `=`.
    public static func noSymbols(id: String) -> Self { .init(kind: .noSymbols(id: id)) }
    /// Two commas in a row, or a leading or trailing comma.
    public static func emptySymbol(id: String) -> Self { .init(kind: .emptySymbol(id: id)) }
    /// A symbol holds a character outside the allowed set.
    public static func invalidSymbol(id: String, symbol: String, character: Character) -> Self {
        .init(kind: .invalidSymbol(id: id, symbol: symbol, character: character))
    }
    /// A symbol appears twice in one watchlist.
    public static func duplicateSymbol(id: String, symbol: String) -> Self { .init(kind: .duplicateSymbol(id: id, symbol: symbol)) }

    public var description: String {
        let prefix = "\(Watchlist.environmentVariable): "
        switch kind {
        case .emptyEntry(let position):
            return prefix + "entry \(position) is empty (two ';' in a row?)"
        case .missingEquals(let entry):
            return prefix + "entry '\(entry)' has no '=' (expected id=SYM1,SYM2)"
        case .tooManyEquals(let entry):
            return prefix + "entry '\(entry)' has more than one '='"
        case .emptyID(let entry):
            return prefix + "entry '\(entry)' has no watchlist id before '='"
        case .invalidID(let id, let character):
            return prefix + "watchlist id '\(id)' contains '\(character)' (allowed: letters, digits, _ - .)"
        case .duplicateID(let id):
            return prefix + "watchlist '\(id)' is defined twice"
        case .noSymbols(let id):
            return prefix + "watchlist '\(id)' has no symbols"
        case .emptySymbol(let id):
            return prefix + "watchlist '\(id)' has an empty symbol (stray comma?)"
        case .invalidSymbol(let id, let symbol, let character):
            return prefix + "symbol '\(symbol)' in watchlist '\(id)' contains '\(character)' (allowed: letters, digits, . _ - / : ^ !)"
        case .duplicateSymbol(let id, let symbol):
            return prefix + "symbol '\(symbol)' appears twice in watchlist '\(id)'"
        }
    }
}
