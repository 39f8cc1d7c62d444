/// The idempotency keys one memory stream remembers, each for at least the deduplication
/// window, in two generations of a dictionary (twice the window at a steady rate; up to about
/// three windows when publishes are sparse, as a generation turns only on a publish).
///
/// New keys go into the current generation; lookups read both. Once the current generation is
/// a window old it becomes the previous one, replacing a generation whose keys are all older
/// than the window, and the new current one is sized like the last, so at a steady rate the
/// dictionaries never grow again. A single dictionary with per-key expiry instead grows to
/// the window's whole key count (2.4 million keys at 20k events/s and 2 minutes), and each
/// doubling rehashes every key under the pipeline's lock: pauses of 100 ms and more.
struct IdempotencyKeyWindow {
    private var current: [String: UInt64] = [:]
    private var previous: [String: UInt64] = [:]
    private var currentStarted: Int64?

    /// The sequence `key` got within the window, if any. `now` and `window` in milliseconds.
    mutating func sequence(forKey key: String, now: Int64, window: Int64) -> UInt64? {
        rotate(now: now, window: window)
        return current[key] ?? previous[key]
    }

    /// Remembers that `key` got `sequence`.
    mutating func remember(_ key: String, sequence: UInt64, now: Int64, window: Int64) {
        rotate(now: now, window: window)
        current[key] = sequence
    }

    private mutating func rotate(now: Int64, window: Int64) {
        guard let started = currentStarted else {
            currentStarted = now
            return
        }
        let age = now - started
        guard age >= window else { return }
        // Past two windows, every key of both generations is older than the window.
        previous = age >= 2 * window ? [:] : current
        let size = current.count
        current = [:]
        current.reserveCapacity(size)
        currentStarted = now
    }
}
