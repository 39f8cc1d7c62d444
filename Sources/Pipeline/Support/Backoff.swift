/// Exponential reconnect delay with a ceiling, reset after a success.
struct Backoff {
    private let initial: Double
    private let ceiling: Double
    private(set) var current: Double

    /// Delays in seconds, from `initial` doubling up to `ceiling`.
    init(initial: Double = 0.05, ceiling: Double = 2.0) {
        self.initial = initial
        self.ceiling = ceiling
        self.current = initial
    }

    /// The delay to wait now; the next one doubles.
    mutating func next() -> Double {
        let delay = current
        current = min(current * 2, ceiling)
        return delay
    }

    /// Back to the first delay after a success.
    mutating func reset() { current = initial }
}
