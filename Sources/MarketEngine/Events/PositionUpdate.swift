/// POSITION_UPDATE payload: private to `operatorId`, the position's owner.
///
/// The market and owner the seed repeats beside the position are read from it (see
/// ``OrderUpdate``).
///
/// Built by the engine only, with the memberwise initializer (see ``OrderView``).
public struct PositionUpdate: Decodable, Hashable, Sendable {
    /// The position after the command.
    public var position: PositionView
    /// Engine time (ms).
    public var timestamp: Int64

    /// Market id (the position's).
    public var marketId: String { position.marketId }
    /// Owner of the position: the only operator that may receive this event.
    public var operatorId: String { position.operatorId }
}
