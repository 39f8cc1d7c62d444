import LiveRooms
import Synchronization

/// The chat rate limiter of this process, shared by every viewer socket (keyed by room and
/// viewer).
final class ChatGate: Sendable {
    private let limiter: Mutex<ChatRateLimiter>

    /// A limiter with the configured window and count.
    init(policy: ChatPolicy) {
        limiter = Mutex(ChatRateLimiter(policy: policy))
    }

    /// Records a message, or returns why it is refused.
    func admit(viewer: String, room: String, at now: Int64) -> ChatRejection? {
        limiter.withLock { $0.admit("\(room)|\(viewer)", at: now) }
    }
}
