/// An operator's position in one outcome, in millionths (see ``PositionView`` for the method).
struct PositionRecord: Sendable {
    /// `pos-<index + 1>`, built once.
    var id: String
    /// Book (outcome) index.
    var book: Int
    /// Interned owner.
    var operatorIndex: Int
    /// Signed shares (millionths).
    var shares: Int64 = 0
    /// Cost of the open shares, signed like them.
    var totalCost: Int64 = 0
    /// Realised PnL.
    var realized: Int64 = 0
    /// Remaining shares of this operator's resting orders on this outcome, both sides: with
    /// |shares| it bounds how far fills can move the position (the position-limit invariant).
    var exposure: Int64 = 0
}
