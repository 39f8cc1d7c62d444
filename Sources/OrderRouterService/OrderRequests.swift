import HTTPCore
import MarketEngine

/// Body of `POST /orders`.
struct PlaceOrderRequest: Decodable, Sendable {
    var marketId: String
    var outcomeId: String
    var side: String
    /// `LIMIT` (default) or `MARKET`.
    var type: String?
    var shares: DecimalInput
    var price: DecimalInput?
    var playerId: String
    var clientOrderId: String?

    /// The engine command for `operatorId`; 422 for a bad side, type or number.
    func command(operatorId: String) throws(EngineError) -> PlaceOrder {
        guard let side = OrderSide(rawValue: side.uppercased()) else {
            throw EngineError.invalidOrder.with(detail: "side must be BUY or SELL")
        }
        guard let type = OrderType(rawValue: (type ?? "LIMIT").uppercased()) else {
            throw EngineError.invalidOrder.with(detail: "type must be LIMIT or MARKET")
        }
        let shares = try self.shares.value(field: "shares")
        let price = try self.price?.value(field: "price")
        return PlaceOrder(marketId: marketId, outcomeId: outcomeId, side: side, type: type, shares: shares, price: price,
                          operatorId: operatorId, playerId: playerId, clientOrderId: clientOrderId)
    }
}

/// Body of `POST /orders/batch`: `{"orders":[...]}`, each element a ``PlaceOrderRequest``.
struct PlaceOrdersRequest: Decodable, Sendable {
    var orders: [PlaceOrderRequest]

    /// The request from the body's bytes when every order is a flat object the fast path
    /// reads; `nil` sends the body through `JSONDecoder`.
    init?(bytes: UnsafeRawBufferPointer) {
        guard let objects = FlatJSONObject.objects(inArrayNamed: "orders", of: bytes) else { return nil }
        var orders: [PlaceOrderRequest] = []
        orders.reserveCapacity(objects.count)
        for object in objects {
            guard let order = PlaceOrderRequest(flat: object) else { return nil }
            orders.append(order)
        }
        self.orders = orders
    }
}

/// Body of `POST /markets`.
struct CreateMarketRequest: Decodable, Sendable {
    /// Chosen by the caller, or generated (`mkt-<uuid>`).
    var marketId: String?
    var title: String?
    /// Omitted: a binary Yes/No market (`<marketId>-yes`, `<marketId>-no`).
    var outcomes: [Outcome]?
    var tickSize: DecimalInput?
}

/// Body of `POST /markets/{marketId}/status`.
struct ChangeStatusRequest: Decodable, Sendable {
    /// `OPEN`, `SUSPENDED`, `CLOSED` or `RESOLVED`.
    var status: String
    /// Required with `RESOLVED`.
    var winningOutcomeId: String?
}

extension PlaceOrderRequest {
    /// The request from a flat JSON body, or `nil` when a member is missing or of another type
    /// than `JSONDecoder` would accept (the caller then decodes with it, errors included).
    init?(flat: FlatJSONObject) {
        guard case .string(let marketId)? = flat["marketId"], case .string(let outcomeId)? = flat["outcomeId"],
              case .string(let side)? = flat["side"], case .string(let playerId)? = flat["playerId"],
              let shares = flat["shares"].flatMap(DecimalInput.init(flat:)) else { return nil }
        self.marketId = marketId
        self.outcomeId = outcomeId
        self.side = side
        self.playerId = playerId
        self.shares = shares
        switch flat["type"] {
        case .string(let type)?: self.type = type
        case .null?, nil: self.type = nil
        default: return nil
        }
        switch flat["price"] {
        case .null?, nil: self.price = nil
        case let value?:
            guard let price = DecimalInput(flat: value) else { return nil }
            self.price = price
        }
        switch flat["clientOrderId"] {
        case .string(let key)?: self.clientOrderId = key
        case .null?, nil: self.clientOrderId = nil
        default: return nil
        }
    }
}
