/// Idempotency key of an order: the operator and its client order id.
struct ClientOrderKey: Hashable, Sendable {
    var operatorIndex: Int
    var clientOrderId: String
}
