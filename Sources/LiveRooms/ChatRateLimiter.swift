/// A sliding-window limit of chat messages per viewer: at most `maxMessages` in any window of
/// `windowMilliseconds`.
///
/// A value type; the service keeps one per room behind a lock. Times are passed in.
public struct ChatRateLimiter: Sendable {
    private let policy: ChatPolicy
    private var sent: [String: [Int64]] = [:]

    /// A limiter applying `policy`.
    public init(policy: ChatPolicy) {
        self.policy = policy
    }

    /// Records a message from `viewer` at `now` and returns nil, or returns the rejection
    /// (nothing recorded) when the viewer is over the limit.
    public mutating func admit(_ viewer: String, at now: Int64) -> ChatRejection? {
        let windowStart = now - policy.windowMilliseconds
        var times = sent[viewer, default: []]
        times.removeAll { $0 <= windowStart }
        if times.count >= policy.maxMessages, let oldest = times.first {
            sent[viewer] = times
            return .rateLimited(retryAfterMilliseconds: oldest + policy.windowMilliseconds - now)
        }
        times.append(now)
        sent[viewer] = times
        return nil
    }

    /// Forgets a viewer (disconnected).
    public mutating func forget(_ viewer: String) {
        sent[viewer] = nil
    }
}
