/// Idempotency key of an order: the operator and its client order id.
struct ClientOrderKey: Hashable, Sendable {
    /// Interned operator.
    var operatorIndex: Int
    /// The key the operator chose.
    var clientOrderId: String
}
