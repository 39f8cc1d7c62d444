/// One price of one side of a book: a FIFO of resting orders as an intrusive doubly linked
/// list through ``OrderRecord/previous``/``OrderRecord/next``, plus its aggregates.
struct PriceLevel: Sendable, Equatable {
    static let none = -1
    var head = PriceLevel.none
    var tail = PriceLevel.none
    var orderCount = 0
    /// Sum of remaining shares (millionths).
    var shares: Int64 = 0
}
