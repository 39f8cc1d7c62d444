import MarketEngine

/// The timestamp of a journal's first entry: part of its events' idempotency keys and report
/// ids, which tells them from those of a journal that replaced it (sequences start at 1 again).
struct JournalStart: Sendable {
    private var timestamp: Int64?

    /// The start of the journal `entry` belongs to, noted when `entry` is its first. Entries
    /// are replayed or committed from sequence 1, so the start is known for every later one.
    mutating func start(of entry: JournalEntry) -> Int64 {
        if entry.sequence == 1 { timestamp = entry.timestamp }
        return timestamp ?? 0
    }
}
