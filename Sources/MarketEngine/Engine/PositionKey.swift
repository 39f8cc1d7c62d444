/// Finds a position by outcome book and operator.
struct PositionKey: Hashable, Sendable {
    var book: Int
    var operatorIndex: Int
}
