/// How deliveries are retried: exponential backoff from `initialDelay`, doubling, capped at
/// `maxDelay`, at most `maxAttempts` attempts per event.
///
/// The default (8 attempts: 5 s, 10 s, 20 s, 40 s, 80 s, 160 s, 300 s between them) spans
/// about 10 minutes: a receiver down for less than ``retryWindow`` gets everything it missed,
/// in order, when it returns.
public struct WebhookRetryPolicy: Sendable, Equatable {
    /// Attempts per event, the first included.
    public var maxAttempts: Int
    /// Wait after the first failed attempt.
    public var initialDelay: Duration
    /// Longest wait between two attempts.
    public var maxDelay: Duration
    /// Longest wait for one receiver's answer.
    public var requestTimeout: Duration
    /// Most events waiting per endpoint; beyond it the oldest is dropped (logged as `dropped`).
    public var queueLimit: Int

    /// A policy; the defaults are the documented ones.
    public init(
        maxAttempts: Int = 8,
        initialDelay: Duration = .seconds(5),
        maxDelay: Duration = .seconds(300),
        requestTimeout: Duration = .seconds(10),
        queueLimit: Int = 10_000
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.requestTimeout = requestTimeout
        self.queueLimit = max(1, queueLimit)
    }

    /// The wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = initialDelay
        var step = 1
        while step < attempt, delay < maxDelay {
            delay = delay * 2
            step += 1
        }
        return min(delay, maxDelay)
    }

    /// Time from the first attempt to the last: how long a receiver may be down and still get
    /// every event.
    public var retryWindow: Duration {
        var total = Duration.zero
        for attempt in stride(from: 1, to: maxAttempts, by: 1) {
            total += delay(afterAttempt: attempt)
        }
        return total
    }
}
