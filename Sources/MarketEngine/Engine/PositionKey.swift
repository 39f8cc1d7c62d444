/// Finds a position by outcome book and operator.
struct PositionKey: Hashable, Sendable {
    /// Book (outcome) index.
    var book: Int
    /// Interned operator.
    var operatorIndex: Int
}
