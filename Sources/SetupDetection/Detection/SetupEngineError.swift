/// Why the engine refused a bar. The bar is dropped and the state is unchanged, so a caller
/// can log the error and carry on.
public struct SetupEngineError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case invalidBar(symbol: String, reason: String)
        case outOfOrder(symbol: String, start: UTCTime, lastStart: UTCTime)
    }

    private let kind: Kind

    /// The bar's prices, volume, duration or symbol are inconsistent (``Bar/validationProblem``).
    public static func invalidBar(symbol: String, reason: String) -> SetupEngineError {
        .init(kind: .invalidBar(symbol: symbol, reason: reason))
    }

    /// The bar does not start after the symbol's previous bar (a duplicate or a late bar).
    public static func outOfOrder(symbol: String, start: UTCTime, lastStart: UTCTime) -> SetupEngineError {
        .init(kind: .outOfOrder(symbol: symbol, start: start, lastStart: lastStart))
    }

    public var description: String {
        switch kind {
        case .invalidBar(let symbol, let reason):
            "invalid bar for \(symbol.isEmpty ? "<no symbol>" : symbol): \(reason)"
        case .outOfOrder(let symbol, let start, let lastStart):
            "bar for \(symbol) at \(start) does not start after the previous bar at \(lastStart)"
        }
    }
}
