/// An order inside the engine. Orders are never removed, so an order's index is its identity
/// (`ord-<index + 1>`) and idempotent retries can return it.
///
/// Indices are stored as `Int32` (at most 2^31 orders per engine) to keep the record small:
/// the order store is the engine's largest array.
struct OrderRecord: Sendable {
    /// `ord-<index + 1>`, built once (a small inline string).
    var id: String
    var playerId: String
    /// Id of the latest trade (`txn-<n>`), nil before any.
    var lastTrade: String?
    /// Shares asked for, filled so far (millionths).
    var shares: Int64
    var filled: Int64 = 0
    /// Σ price × shares of fills in millionths², exact, for the average fill price.
    var fillNotional: Int128 = 0
    private var storedBook: Int32
    private var storedOperator: Int32
    private var storedPosition: Int32
    /// Limit price as a tick number; 0 for market orders.
    private var storedTick: Int32
    /// Neighbours in the price level's FIFO while resting.
    private var storedPrevious: Int32 = -1
    private var storedNext: Int32 = -1
    var side: OrderSide
    var type: OrderType
    var status: OrderStatus

    init(id: String, book: Int, operatorIndex: Int, position: Int, side: OrderSide, type: OrderType,
         status: OrderStatus, tick: Int, shares: Int64, playerId: String) {
        self.id = id
        self.playerId = playerId
        self.shares = shares
        self.storedBook = Int32(book)
        self.storedOperator = Int32(operatorIndex)
        self.storedPosition = Int32(position)
        self.storedTick = Int32(tick)
        self.side = side
        self.type = type
        self.status = status
    }

    var book: Int { Int(storedBook) }
    var operatorIndex: Int { Int(storedOperator) }
    var position: Int { Int(storedPosition) }
    var tick: Int { Int(storedTick) }
    var previous: Int {
        get { Int(storedPrevious) }
        set { storedPrevious = Int32(truncatingIfNeeded: newValue) }
    }
    var next: Int {
        get { Int(storedNext) }
        set { storedNext = Int32(truncatingIfNeeded: newValue) }
    }

    var remaining: Int64 { shares - filled }
}
