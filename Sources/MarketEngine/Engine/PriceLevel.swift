/// One price of one side of a book: a FIFO of resting orders as an intrusive doubly linked
/// list through ``OrderRecord/previous``/``OrderRecord/next``, plus its aggregates.
struct PriceLevel: Sendable, Equatable {
    /// No order (end of a list).
    static let none = -1
    private var storedHead: Int32 = -1
    private var storedTail: Int32 = -1
    private var storedCount: Int32 = 0
    /// Sum of remaining shares (millionths).
    var shares: Int64 = 0

    /// Oldest order at this price: matched first.
    var head: Int {
        get { Int(storedHead) }
        set { storedHead = Int32(truncatingIfNeeded: newValue) }
    }
    /// Newest order: where arrivals join.
    var tail: Int {
        get { Int(storedTail) }
        set { storedTail = Int32(truncatingIfNeeded: newValue) }
    }
    /// Resting orders at this price.
    var orderCount: Int {
        get { Int(storedCount) }
        set { storedCount = Int32(truncatingIfNeeded: newValue) }
    }
}
