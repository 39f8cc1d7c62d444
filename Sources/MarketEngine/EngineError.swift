/// Why the engine refused a command. The state is unchanged whenever one is thrown.
///
/// ``code`` is stable and is what the REST layer puts in `{"error":{"code":...}}`;
/// ``category`` tells it which HTTP status family to use.
public struct EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// How a refusal maps onto HTTP.
    public enum Category: String, Sendable {
        /// Malformed or out-of-range input (400).
        case invalidInput
        /// The market, outcome or order does not exist (404).
        case notFound
        /// The caller is not allowed to act on this resource (403).
        case forbidden
        /// The request is valid but conflicts with the current state (409).
        case conflict
    }

    private enum Kind: Hashable, Sendable {
        case invalidDecimal, decimalOutOfRange, invalidPrice, invalidShares, invalidMarket, invalidOrder
        case unknownMarket, unknownOutcome, unknownOrder
        case notOrderOwner
        case marketNotOpen, orderNotOpen, illegalTransition, duplicateMarket, positionLimit, journalOutOfOrder
    }

    private let kind: Kind
    /// Extra words about this occurrence (which field, which status); never secret.
    public let detail: String?

    private init(_ kind: Kind, _ detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }

    /// Text is not a decimal number or has more than six fractional digits.
    public static let invalidDecimal = EngineError(.invalidDecimal)
    /// A number or a computed amount leaves the ±9.2e12 range of ``FixedDecimal``.
    public static let decimalOutOfRange = EngineError(.decimalOutOfRange)
    /// A price is missing, not strictly between 0 and 1, or off the market's tick.
    public static let invalidPrice = EngineError(.invalidPrice)
    /// A share count is not positive or exceeds ``MarketEngine/maximumOrderShares``.
    public static let invalidShares = EngineError(.invalidShares)
    /// A market definition is unusable (fewer than two outcomes, duplicate outcome ids, bad tick).
    public static let invalidMarket = EngineError(.invalidMarket)
    /// An order is malformed in another way (a market order with a price, an empty operator id).
    public static let invalidOrder = EngineError(.invalidOrder)
    /// No market has this id.
    public static let unknownMarket = EngineError(.unknownMarket)
    /// The market has no outcome with this id.
    public static let unknownOutcome = EngineError(.unknownOutcome)
    /// No order has this id.
    public static let unknownOrder = EngineError(.unknownOrder)
    /// Only the operator that placed an order may cancel it.
    public static let notOrderOwner = EngineError(.notOrderOwner)
    /// Orders are accepted only while the market is OPEN.
    public static let marketNotOpen = EngineError(.marketNotOpen)
    /// The order is already filled or cancelled.
    public static let orderNotOpen = EngineError(.orderNotOpen)
    /// The market cannot move from its status to the requested one.
    public static let illegalTransition = EngineError(.illegalTransition)
    /// A market with this id already exists.
    public static let duplicateMarket = EngineError(.duplicateMarket)
    /// The order could take the operator's position past ``MarketEngine/positionLimit`` shares.
    public static let positionLimit = EngineError(.positionLimit)
    /// A replayed journal entry does not carry the next expected sequence number.
    public static let journalOutOfOrder = EngineError(.journalOutOfOrder)

    /// The same error with words about this occurrence.
    public func with(detail: String) -> EngineError {
        EngineError(kind, detail)
    }

    /// Stable snake_case code for API error bodies.
    public var code: String {
        switch kind {
        case .invalidDecimal: "invalid_decimal"
        case .decimalOutOfRange: "decimal_out_of_range"
        case .invalidPrice: "invalid_price"
        case .invalidShares: "invalid_shares"
        case .invalidMarket: "invalid_market"
        case .invalidOrder: "invalid_order"
        case .unknownMarket: "unknown_market"
        case .unknownOutcome: "unknown_outcome"
        case .unknownOrder: "unknown_order"
        case .notOrderOwner: "not_order_owner"
        case .marketNotOpen: "market_not_open"
        case .orderNotOpen: "order_not_open"
        case .illegalTransition: "illegal_transition"
        case .duplicateMarket: "duplicate_market"
        case .positionLimit: "position_limit"
        case .journalOutOfOrder: "journal_out_of_order"
        }
    }

    /// The HTTP status family of this error.
    public var category: Category {
        switch kind {
        case .invalidDecimal, .decimalOutOfRange, .invalidPrice, .invalidShares, .invalidMarket, .invalidOrder:
            .invalidInput
        case .unknownMarket, .unknownOutcome, .unknownOrder:
            .notFound
        case .notOrderOwner:
            .forbidden
        case .marketNotOpen, .orderNotOpen, .illegalTransition, .duplicateMarket, .positionLimit, .journalOutOfOrder:
            .conflict
        }
    }

    /// Human-readable message for API error bodies.
    public var message: String {
        let base: String = switch kind {
        case .invalidDecimal: "not a decimal number with at most 6 fractional digits"
        case .decimalOutOfRange: "number out of range"
        case .invalidPrice: "price must be strictly between 0 and 1 and on the market's tick"
        case .invalidShares: "shares must be positive and at most 1000000000"
        case .invalidMarket: "invalid market definition"
        case .invalidOrder: "invalid order"
        case .unknownMarket: "unknown market"
        case .unknownOutcome: "unknown outcome"
        case .unknownOrder: "unknown order"
        case .notOrderOwner: "order belongs to another operator"
        case .marketNotOpen: "market is not open"
        case .orderNotOpen: "order is no longer open"
        case .illegalTransition: "illegal market status transition"
        case .duplicateMarket: "market already exists"
        case .positionLimit: "order would exceed the position limit"
        case .journalOutOfOrder: "journal entry out of order"
        }
        guard let detail else { return base }
        return "\(base): \(detail)"
    }

    /// `code: message`, for logs.
    public var description: String { "\(code): \(message)" }

    /// Errors are equal when their codes are; the detail is commentary.
    public static func == (lhs: EngineError, rhs: EngineError) -> Bool { lhs.kind == rhs.kind }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }
}
