extension Watchlist {
    /// The environment variable that defines the watchlists.
    public static let environmentVariable = "INPLAY_WATCHLISTS"

    /// Parses `INPLAY_WATCHLISTS`: `id=SYM,SYM;id=SYM`, e.g. `momentum=AAPL,MSFT,NVDA;futures=ES,NQ`.
    ///
    /// Spaces and tabs around ids, symbols and separators are ignored; one trailing `;` is
    /// allowed; an empty or blank text means no watchlist. Ids are letters, digits, `_`, `-`,
    /// `.`; symbols are letters, digits and `.`, `_`, `-`, `/`, `:`, `^`, `!` and are kept as
    /// written (matching bars is case-sensitive). Refused, with the offending part named: an
    /// entry without `=` or with several, an empty id or symbol, a forbidden character, a
    /// watchlist without symbols, a repeated id, a symbol repeated inside one watchlist.
    public static func parseConfiguration(_ text: String) throws(WatchlistConfigurationError) -> [Watchlist] {
        var result: [Watchlist] = []
        var seenIDs: Set<String> = []
        let entries = text.split(separator: ";", omittingEmptySubsequences: false).map(trimmed)
        for (position, entry) in entries.enumerated() {
            if entry.isEmpty {
                if position == entries.count - 1 { continue }
                throw .emptyEntry(position: position + 1)
            }
            let parts = entry.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw parts.count < 2 ? .missingEquals(entry: entry) : .tooManyEquals(entry: entry)
            }
            let id = trimmed(parts[0])
            guard !id.isEmpty else { throw .emptyID(entry: entry) }
            if let bad = id.first(where: { !isIDCharacter($0) }) { throw .invalidID(id: id, character: bad) }
            guard seenIDs.insert(id).inserted else { throw .duplicateID(id) }
            let symbolsText = trimmed(parts[1])
            guard !symbolsText.isEmpty else { throw .noSymbols(id: id) }
            var symbols: [String] = []
            var seenSymbols: Set<String> = []
            for symbolText in symbolsText.split(separator: ",", omittingEmptySubsequences: false) {
                let symbol = trimmed(symbolText)
                guard !symbol.isEmpty else { throw .emptySymbol(id: id) }
                if let bad = symbol.first(where: { !isSymbolCharacter($0) }) {
                    throw .invalidSymbol(id: id, symbol: symbol, character: bad)
                }
                guard seenSymbols.insert(symbol).inserted else { throw .duplicateSymbol(id: id, symbol: symbol) }
                symbols.append(symbol)
            }
            result.append(Watchlist(id: id, symbols: symbols))
        }
        return result
    }

    private static func trimmed(_ text: some StringProtocol) -> String {
        var slice = Substring(text)
        while let first = slice.first, first == " " || first == "\t" || first == "\n" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\n" || last == "\r" { slice.removeLast() }
        return String(slice)
    }

    private static func isIDCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_-.".contains(character))
    }

    private static func isSymbolCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "._-/:^!".contains(character))
    }
}
