/// The idempotency keys one memory stream remembers, each for at least the deduplication
/// window, in two generations (twice the window at a steady rate; up to about
/// three windows when publishes are sparse, as a generation turns only on a publish).
///
/// New keys go into the current generation; lookups read both. Once the current generation is
/// a window old it becomes the previous one, replacing a generation whose keys are all older
/// than the window, and the new current one is sized like the last, so at a steady rate the
/// tables never grow again. Per-key expiry instead would keep the window's whole key count
/// (2.4 million keys at 20k events/s and 2 minutes) in one table. Each generation is an
/// ``IdempotencyKeyTable``, which never stops to grow or to be dropped.
struct IdempotencyKeyWindow {
    private var current = IdempotencyKeyTable()
    private var previous = IdempotencyKeyTable()
    private var currentStarted: Int64?

    /// The sequence `key` got within the window, if any. `now` and `window` in milliseconds.
    mutating func sequence(forKey key: IdempotencyKey, now: Int64, window: Int64) -> UInt64? {
        rotate(now: now, window: window)
        return current.sequence(for: key) ?? previous.sequence(for: key)
    }

    /// Remembers that `key` got `sequence`.
    mutating func remember(_ key: IdempotencyKey, sequence: UInt64, now: Int64, window: Int64) {
        rotate(now: now, window: window)
        current.insert(key, sequence: sequence)
    }

    private mutating func rotate(now: Int64, window: Int64) {
        guard let started = currentStarted else {
            currentStarted = now
            return
        }
        let age = now - started
        guard age >= window else { return }
        // Past two windows, every key of both generations is older than the window.
        previous = age >= 2 * window ? IdempotencyKeyTable() : current
        current = IdempotencyKeyTable(expected: current.count)
        currentStarted = now
    }
}
