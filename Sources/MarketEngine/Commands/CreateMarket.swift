/// Opens a new market (status OPEN) with one order book per outcome.
public struct CreateMarket: Codable, Hashable, Sendable {
    /// Id chosen by the caller (the service generates it), so replay reproduces it.
    public var marketId: String
    /// The question asked, if any.
    public var title: String?
    /// At least two outcomes with distinct, non-empty ids.
    public var outcomes: [Outcome]
    /// Price step; `nil` means ``MarketEngine/defaultTickSize`` (0.01). It must divide 1 and be
    /// at least 0.0001.
    public var tickSize: FixedDecimal?

    /// A market definition.
    public init(marketId: String, title: String? = nil, outcomes: [Outcome], tickSize: FixedDecimal? = nil) {
        self.marketId = marketId
        self.title = title
        self.outcomes = outcomes
        self.tickSize = tickSize
    }

    /// A Yes/No market whose outcome ids are `<marketId>-yes` and `<marketId>-no`.
    public static func binary(marketId: String, title: String? = nil, tickSize: FixedDecimal? = nil) -> CreateMarket {
        CreateMarket(
            marketId: marketId,
            title: title,
            outcomes: [Outcome(id: "\(marketId)-yes", name: "Yes"), Outcome(id: "\(marketId)-no", name: "No")],
            tickSize: tickSize
        )
    }
}
