/// Everything that changes the engine's state. Accepted commands are what the service
/// journals: replaying them in order rebuilds the same state.
///
/// JSON form: `{"type":"PLACE_ORDER","payload":{...}}` (types `CREATE_MARKET`,
/// `CHANGE_MARKET_STATUS`, `PLACE_ORDER`, `CANCEL_ORDER`).
public enum EngineCommand: Hashable, Sendable {
    /// Create a market.
    case createMarket(CreateMarket)
    /// Change a market's status (suspend, reopen, close, resolve).
    case changeMarketStatus(ChangeMarketStatus)
    /// Place an order.
    case placeOrder(PlaceOrder)
    /// Cancel an order.
    case cancelOrder(CancelOrder)
}

extension EngineCommand: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, payload
    }

    /// Decodes the tagged form; an unknown type is a `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "CREATE_MARKET": self = .createMarket(try container.decode(CreateMarket.self, forKey: .payload))
        case "CHANGE_MARKET_STATUS": self = .changeMarketStatus(try container.decode(ChangeMarketStatus.self, forKey: .payload))
        case "PLACE_ORDER": self = .placeOrder(try container.decode(PlaceOrder.self, forKey: .payload))
        case "CANCEL_ORDER": self = .cancelOrder(try container.decode(CancelOrder.self, forKey: .payload))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown command type \(type)")
        }
    }

    /// Encodes the tagged form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .createMarket(let payload):
            try container.encode("CREATE_MARKET", forKey: .type)
            try container.encode(payload, forKey: .payload)
        case .changeMarketStatus(let payload):
            try container.encode("CHANGE_MARKET_STATUS", forKey: .type)
            try container.encode(payload, forKey: .payload)
        case .placeOrder(let payload):
            try container.encode("PLACE_ORDER", forKey: .type)
            try container.encode(payload, forKey: .payload)
        case .cancelOrder(let payload):
            try container.encode("CANCEL_ORDER", forKey: .type)
            try container.encode(payload, forKey: .payload)
        }
    }
}
