extension Setup: Codable {
    private enum CodingKeys: String, CodingKey {
        case strategy, direction, entry, target, stop, probability, session
        case updatedAt = "updated_at"
    }

    /// Prices and the probability are written rounded to ``JSONRounding/decimals`` places, so
    /// float noise (101.00000000000001) never reaches the dashboard.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(strategy, forKey: .strategy)
        try container.encode(direction, forKey: .direction)
        try container.encode(JSONRounding.round(entry), forKey: .entry)
        try container.encode(JSONRounding.round(target), forKey: .target)
        try container.encode(JSONRounding.round(stop), forKey: .stop)
        try container.encode(JSONRounding.round(probability), forKey: .probability)
        try container.encode(session, forKey: .session)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    /// Decodes the wire form (for clients and tests). The symbol is not in it (it belongs to
    /// the enclosing entry), so `symbol` is left empty; a missing `direction` is inferred from
    /// target versus entry and a missing `session` is `london`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let entry = try container.decode(Double.self, forKey: .entry)
        let target = try container.decode(Double.self, forKey: .target)
        self.init(
            symbol: "",
            strategy: try container.decode(Strategy.self, forKey: .strategy),
            direction: try container.decodeIfPresent(TradeDirection.self, forKey: .direction)
                ?? (target >= entry ? .long : .short),
            entry: entry,
            target: target,
            stop: try container.decode(Double.self, forKey: .stop),
            probability: try container.decode(Double.self, forKey: .probability),
            session: try container.decodeIfPresent(SessionName.self, forKey: .session) ?? .default,
            updatedAt: try container.decode(UTCTime.self, forKey: .updatedAt)
        )
    }
}
