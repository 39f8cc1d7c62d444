import MarketEngine

/// Commands applied by the engine and waiting for their journal entries to become durable:
/// the unit of group commit. Their callers are answered only after the batch's fsync.
struct CommitBatch: Sendable {
    /// One caller waiting for durability, with the answer it gets then.
    enum Waiter: Sendable {
        /// One command (`POST /orders`, a cancel, a market change) and its receipt.
        case command(CheckedContinuation<CommandReceipt, any Error>, CommandReceipt)
        /// The commands of one `POST /orders/batch`: each one's receipt or refusal, in order.
        case commands(CheckedContinuation<[Result<CommandReceipt, EngineError>], any Error>, [Result<CommandReceipt, EngineError>])

        /// Answers the caller: its commands are durable.
        func succeed() {
            switch self {
            case .command(let continuation, let receipt): continuation.resume(returning: receipt)
            case .commands(let continuation, let results): continuation.resume(returning: results)
            }
        }

        /// Fails the caller: its commands could not be made durable.
        func fail(_ error: any Error) {
            switch self {
            case .command(let continuation, _): continuation.resume(throwing: error)
            case .commands(let continuation, _): continuation.resume(throwing: error)
            }
        }
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
