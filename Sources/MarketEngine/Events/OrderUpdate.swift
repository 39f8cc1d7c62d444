/// ORDER_UPDATE payload: private to `operatorId`, the order's owner.
///
/// The seed repeats the order's market and owner beside it; they are read from the order, not
/// stored twice (each stored copy of an id is a reference count to bump and drop per event).
/// Decoding takes them from the order too.
///
/// Built by the engine only, with the memberwise initializer (see ``OrderView``).
public struct OrderUpdate: Decodable, Hashable, Sendable {
    /// The order after the command.
    public var order: OrderView
    /// Engine time (ms).
    public var timestamp: Int64

    /// Market id (the order's).
    public var marketId: String { order.marketId }
    /// Owner of the order: the only operator that may receive this event.
    public var operatorId: String { order.operatorId }
}
