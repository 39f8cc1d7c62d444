/// An operator's position in one outcome, in millionths (see ``PositionView`` for the method).
struct PositionRecord: Sendable {
    /// `pos-<index + 1>`, built once.
    var id: String
    var book: Int
    var operatorIndex: Int
    var shares: Int64 = 0
    var totalCost: Int64 = 0
    var realized: Int64 = 0
    /// Remaining shares of this operator's resting orders on this outcome, both sides: with
    /// |shares| it bounds how far fills can move the position (the position-limit invariant).
    var exposure: Int64 = 0
}
