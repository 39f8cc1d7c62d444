/// An operator's registered webhook: where to POST, which event types, and the secret the
/// deliveries are signed with (shown once, at registration).
public struct WebhookEndpoint: Codable, Hashable, Sendable {
    /// Generated id (`wh_<hex>`).
    public var id: String
    /// The owner: it receives public events and its own private ones only.
    public var operatorId: String
    /// `http://` or `https://` URL receiving the POSTs.
    public var url: String
    /// Event types delivered (`TRADE`, `ORDER_UPDATE`...).
    public var eventTypes: [String]
    /// Signing secret (`whsec_<hex>`); never logged, never listed.
    public var secret: String
    /// Registration time (ms since the epoch).
    public var createdAt: Int64

    /// An endpoint.
    public init(id: String, operatorId: String, url: String, eventTypes: [String], secret: String, createdAt: Int64) {
        self.id = id
        self.operatorId = operatorId
        self.url = url
        self.eventTypes = eventTypes
        self.secret = secret
        self.createdAt = createdAt
    }

    /// The six event types of the seed, the only values `eventTypes` accepts.
    public static let knownEventTypes: [String] = [
        "PRICE_UPDATE", "ORDERBOOK_UPDATE", "TRADE", "MARKET_STATUS", "POSITION_UPDATE", "ORDER_UPDATE",
    ]

    /// Whether `event` goes to this endpoint: its type is selected and its owner may see it.
    public func wants(_ event: FeedEvent) -> Bool {
        eventTypes.contains(event.type) && event.visibility.allows(operatorId)
    }
}
