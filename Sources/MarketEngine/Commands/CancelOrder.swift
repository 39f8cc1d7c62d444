/// Withdraws the rest of a resting order; only its owner may.
public struct CancelOrder: Codable, Hashable, Sendable {
    /// Order id (`ord-<n>`).
    public var orderId: String
    /// Authenticated operator asking; must own the order.
    public var operatorId: String

    /// A cancel request.
    public init(orderId: String, operatorId: String) {
        self.orderId = orderId
        self.operatorId = operatorId
    }
}
