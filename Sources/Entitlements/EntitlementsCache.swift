/// The seeds' `entitlements_cache`: answers kept for a time-to-live, with negative caching of
/// unknown customers for a shorter time, and a bound on entries.
public actor EntitlementsCache {
    private struct Entry {
        var value: CustomerEntitlements?
        var expiresAt: ContinuousClock.Instant
    }

    private var entries: [String: Entry] = [:]
    private let ttl: Duration
    private let negativeTTL: Duration
    private let maxEntries: Int
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - ttl: how long a known customer's entitlements are reused.
    ///   - negativeTTL: how long "unknown customer" is remembered.
    ///   - maxEntries: past this, expired entries are dropped, then the whole cache if needed.
    public init(ttl: Duration, negativeTTL: Duration, maxEntries: Int = 100_000) {
        self.ttl = ttl
        self.negativeTTL = negativeTTL
        self.maxEntries = maxEntries
    }

    /// The cached answer: `.some(value)` (value nil = known unknown) or nil when absent/expired.
    public func lookup(_ customerId: String) -> CustomerEntitlements?? {
        guard let entry = entries[customerId] else { return nil }
        guard clock.now < entry.expiresAt else {
            entries[customerId] = nil
            return nil
        }
        return .some(entry.value)
    }

    /// Stores an answer, with the positive or negative time-to-live.
    public func store(_ value: CustomerEntitlements?, for customerId: String) {
        if entries.count >= maxEntries {
            let now = clock.now
            entries = entries.filter { $0.value.expiresAt > now }
            if entries.count >= maxEntries { entries.removeAll(keepingCapacity: true) }
        }
        entries[customerId] = Entry(value: value, expiresAt: clock.now.advanced(by: value == nil ? negativeTTL : ttl))
    }

    /// Forgets one customer (after a plan change) or everything.
    public func invalidate(_ customerId: String? = nil) {
        if let customerId { entries[customerId] = nil } else { entries.removeAll() }
    }
}
