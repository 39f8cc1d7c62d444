/// An order inside the engine. Orders are never removed, so an order's index is its identity
/// (`ord-<index + 1>`) and idempotent retries can return it.
///
/// Indices are stored as `Int32` (at most 2^31 orders per engine) to keep the record small:
/// the order store is the engine's largest array.
struct OrderRecord: Sendable {
    /// `ord-<index + 1>`, built once (a small inline string).
    var id: String
    /// The operator's player.
    var playerId: String
    /// Id of the latest trade (`txn-<n>`), nil before any.
    var lastTrade: String?
    /// Shares asked for (millionths).
    var shares: Int64
    /// Shares filled so far.
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
    /// Buy or sell.
    var side: OrderSide
    /// Limit or market.
    var type: OrderType
    /// Lifecycle status.
    var status: OrderStatus

    /// A new open order.
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

    /// Book (outcome) index.
    var book: Int { Int(storedBook) }
    /// Interned owner.
    var operatorIndex: Int { Int(storedOperator) }
    /// The owner's position in this outcome.
    var position: Int { Int(storedPosition) }
    /// Limit price as a tick number; 0 for market orders.
    var tick: Int { Int(storedTick) }
    /// Older neighbour in the level, or `PriceLevel.none`.
    var previous: Int {
        get { Int(storedPrevious) }
        set { storedPrevious = Int32(truncatingIfNeeded: newValue) }
    }
    /// Newer neighbour in the level, or `PriceLevel.none`.
    var next: Int {
        get { Int(storedNext) }
        set { storedNext = Int32(truncatingIfNeeded: newValue) }
    }

    /// Shares not yet filled.
    var remaining: Int64 { shares - filled }
}
