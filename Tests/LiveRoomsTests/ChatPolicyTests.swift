import LiveRooms
import Testing

@Suite("Chat limits")
struct ChatPolicyTests {
    @Test("length and emptiness")
    func length() {
        let policy = ChatPolicy(maxLength: 5)
        #expect(policy.check(text: "hello") == nil)
        #expect(policy.check(text: "hello!") == .tooLong(5))
        #expect(policy.check(text: "   ") == .empty)
        #expect(policy.check(text: "👍🏽👍🏽") == nil, "characters, not bytes")
        #expect(ChatRejection.tooLong(5).code == "chat_too_long")
    }

    @Test("a sliding window per viewer")
    func rate() {
        var limiter = ChatRateLimiter(policy: ChatPolicy(maxMessages: 2, windowMilliseconds: 1_000))
        #expect(limiter.admit("a", at: 0) == nil)
        #expect(limiter.admit("a", at: 100) == nil)
        #expect(limiter.admit("a", at: 200) == .rateLimited(retryAfterMilliseconds: 800))
        #expect(limiter.admit("b", at: 200) == nil, "other viewers are not limited")
        #expect(limiter.admit("a", at: 1_000) == nil, "the first message left the window")
        #expect(limiter.admit("a", at: 1_050) == .rateLimited(retryAfterMilliseconds: 50))
        limiter.forget("a")
        #expect(limiter.admit("a", at: 1_060) == nil)
    }
}
