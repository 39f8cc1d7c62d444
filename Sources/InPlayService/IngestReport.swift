/// What detection did with a batch of bars: the body of `202 Accepted` for `POST /inplay/bars`.
public struct IngestReport: Sendable, Equatable, Encodable {
    /// One bar the engine refused (out of order or a duplicate), by its index in the batch.
    public struct Rejection: Sendable, Equatable, Encodable {
        /// The bar's index in the request (0-based).
        public var index: Int
        /// Why.
        public var reason: String
    }

    /// Bars of watched symbols that went through detection.
    public var accepted: Int = 0
    /// Bars of symbols on no watchlist (valid, skipped).
    public var ignored: Int = 0
    /// Bars the engine refused.
    public var rejected: [Rejection] = []
    /// The watchlists that changed (a `watchlist.update` was pushed for each).
    public var updatedWatchlists: [String] = []

    private enum CodingKeys: String, CodingKey {
        case accepted, ignored, rejected
        case updatedWatchlists = "updated_watchlists"
    }
}
