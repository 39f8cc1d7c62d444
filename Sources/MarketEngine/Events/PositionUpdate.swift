/// POSITION_UPDATE payload: private to `operatorId`, the position's owner.
public struct PositionUpdate: Decodable, Hashable, Sendable {
    /// Market id.
    public var marketId: String
    /// Owner of the position: the only operator that may receive this event.
    public var operatorId: String
    /// The position after the command.
    public var position: PositionView
    /// Engine time (ms).
    public var timestamp: Int64

    /// A position payload.
    public init(marketId: String, operatorId: String, position: PositionView, timestamp: Int64) {
        self.marketId = marketId
        self.operatorId = operatorId
        self.position = position
        self.timestamp = timestamp
    }
}
