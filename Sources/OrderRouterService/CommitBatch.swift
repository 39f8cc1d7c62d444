import MarketEngine

/// Commands applied by the engine and waiting for their journal entries to become durable:
/// the unit of group commit. Their callers are answered only after the batch's fsync.
struct CommitBatch: Sendable {
    /// One caller waiting for durability (one command, or the orders of one
    /// `POST /orders/batch`), with the answer it gets then: each command's receipt or refusal.
    struct Waiter: Sendable {
        var continuation: CheckedContinuation<[Result<CommandReceipt, EngineError>], any Error>
        var results: [Result<CommandReceipt, EngineError>]
    }

    /// Entries to append, in sequence order.
    var entries: [JournalEntry] = []
    /// Each entry's events, in order (same indices as `entries`).
    var events: [[MarketEvent]] = []
    /// Callers to answer once durable (idempotent retries included, so a retry is never
    /// answered before the original is durable).
    var waiters: [Waiter] = []

    var isEmpty: Bool { waiters.isEmpty }
}
