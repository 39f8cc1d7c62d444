import MarketEngine

/// Who may see an event: the seed's visibility table, in one place so the WebSocket fan-out,
/// the webhooks and the replay REST apply the same rule.
public enum EventVisibility: Hashable, Sendable {
    /// PRICE_UPDATE, ORDERBOOK_UPDATE, TRADE, MARKET_STATUS: every subscriber of the market.
    case everyone
    /// POSITION_UPDATE, ORDER_UPDATE: only the operator that owns the order or position.
    case owner(operatorId: String)

    /// The visibility of `event`.
    public init(of event: MarketEvent) {
        if let owner = event.operatorId {
            self = .owner(operatorId: owner)
        } else {
            self = .everyone
        }
    }

    /// Whether `operatorId` may receive the event.
    public func allows(_ operatorId: String) -> Bool {
        switch self {
        case .everyone: true
        case .owner(let owner): owner == operatorId
        }
    }

    /// The owner of a private event; `nil` for a public one.
    public var owner: String? {
        switch self {
        case .everyone: nil
        case .owner(let owner): owner
        }
    }
}
