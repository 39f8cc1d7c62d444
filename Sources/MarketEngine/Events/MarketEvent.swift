/// One event a command produced, in the market-ws message shapes
/// (`{"type": "...", "payload": {...}}`).
///
/// Encode with ``EventJSONEncoder`` (exact numbers, fast); decode with `JSONDecoder` (what
/// market-ws does to route them). ``operatorId`` is set on private events: only that operator
/// may receive them.
public enum MarketEvent: Hashable, Sendable {
    /// A fill (public).
    case trade(TradeEvent)
    /// A book changed (public).
    case orderBook(OrderBookUpdate)
    /// Prices changed (public).
    case price(PriceUpdate)
    /// The market changed status (public).
    case marketStatus(MarketStatusUpdate)
    /// An order changed (private to its owner).
    case order(OrderUpdate)
    /// A position changed (private to its owner).
    case position(PositionUpdate)

    /// The message `type` string.
    public var type: String {
        switch self {
        case .trade: "TRADE"
        case .orderBook: "ORDERBOOK_UPDATE"
        case .price: "PRICE_UPDATE"
        case .marketStatus: "MARKET_STATUS"
        case .order: "ORDER_UPDATE"
        case .position: "POSITION_UPDATE"
        }
    }

    /// The market the event belongs to (its pipeline subject is `market.{marketId}`).
    public var marketId: String {
        switch self {
        case .trade(let payload): payload.marketId
        case .orderBook(let payload): payload.marketId
        case .price(let payload): payload.marketId
        case .marketStatus(let payload): payload.marketId
        case .order(let payload): payload.marketId
        case .position(let payload): payload.marketId
        }
    }

    /// The only operator allowed to see a private event; `nil` for public ones.
    public var operatorId: String? {
        switch self {
        case .order(let payload): payload.operatorId
        case .position(let payload): payload.operatorId
        case .trade, .orderBook, .price, .marketStatus: nil
        }
    }

    /// The event's timestamp (ms).
    public var timestamp: Int64 {
        switch self {
        case .trade(let payload): payload.timestamp
        case .orderBook(let payload): payload.timestamp
        case .price(let payload): payload.timestamp
        case .marketStatus(let payload): payload.timestamp
        case .order(let payload): payload.timestamp
        case .position(let payload): payload.timestamp
        }
    }
}

extension MarketEvent: Decodable {
    private enum CodingKeys: String, CodingKey {
        case type, payload
    }

    /// Decodes `{"type": ..., "payload": ...}`; an unknown type is a `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "TRADE": self = .trade(try container.decode(TradeEvent.self, forKey: .payload))
        case "ORDERBOOK_UPDATE": self = .orderBook(try container.decode(OrderBookUpdate.self, forKey: .payload))
        case "PRICE_UPDATE": self = .price(try container.decode(PriceUpdate.self, forKey: .payload))
        case "MARKET_STATUS": self = .marketStatus(try container.decode(MarketStatusUpdate.self, forKey: .payload))
        case "ORDER_UPDATE": self = .order(try container.decode(OrderUpdate.self, forKey: .payload))
        case "POSITION_UPDATE": self = .position(try container.decode(PositionUpdate.self, forKey: .payload))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown event type \(type)")
        }
    }
}
