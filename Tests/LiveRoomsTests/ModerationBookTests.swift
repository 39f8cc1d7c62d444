import LiveRooms
import Testing

@Suite("Moderation")
struct ModerationBookTests {
    func command(_ action: ModerationAction, _ target: String, duration: Int? = nil, at issuedAt: Int64 = 10_000, id: String? = nil) -> ModerationCommand {
        ModerationCommand(id: id ?? "\(action)-\(target)-\(issuedAt)", room: "r1", action: action, target: target, reason: "spam", durationSeconds: duration, issuedAt: issuedAt)
    }

    @Test("a timed ban holds until it expires, only in its room")
    func timedBan() {
        var book = ModerationBook()
        let applied = book.apply(command(.ban, "v1", duration: 60))
        #expect(applied)
        #expect(book.ban(of: "v1", in: "r1", at: 10_001)?.reason == "spam")
        #expect(book.ban(of: "v1", in: "r1", at: 69_999) != nil)
        #expect(book.ban(of: "v1", in: "r1", at: 70_000) == nil)
        #expect(book.ban(of: "v1", in: "other", at: 10_001) == nil)
        #expect(book.ban(of: "v2", in: "r1", at: 10_001) == nil)
    }

    @Test("mute without duration lasts until unmute; unban lifts a ban")
    func lifting() {
        var book = ModerationBook()
        book.apply(command(.mute, "v1"))
        book.apply(command(.ban, "v2"))
        #expect(book.mute(of: "v1", in: "r1", at: Int64.max - 1) != nil)
        book.apply(command(.unmute, "v1", at: 20_000))
        book.apply(command(.unban, "v2", at: 20_000))
        #expect(book.mute(of: "v1", in: "r1", at: 20_001) == nil)
        #expect(book.ban(of: "v2", in: "r1", at: 20_001) == nil)
    }

    @Test("the same command applied twice changes nothing; a warning restricts nothing")
    func idempotentAndWarn() {
        var book = ModerationBook()
        let ban = command(.ban, "v1", id: "c1")
        let first = book.apply(ban)
        #expect(first)
        book.apply(command(.unban, "v1", id: "c2"))
        let again = book.apply(ban)
        #expect(!again, "replaying an old command must not re-ban")
        #expect(book.ban(of: "v1", in: "r1", at: 10_001) == nil)
        book.apply(command(.warn, "v3"))
        #expect(book.ban(of: "v3", in: "r1", at: 10_001) == nil && book.mute(of: "v3", in: "r1", at: 10_001) == nil)
    }

    @Test("commands are validated")
    func validation() {
        #expect(throws: LiveRoomsError.self) { try command(.ban, "").validate() }
        #expect(throws: LiveRoomsError.self) { try command(.ban, "v1", duration: 0).validate() }
        #expect(throws: LiveRoomsError.self) { try command(.warn, "v1", duration: 10).validate() }
        var noReason = command(.mute, "v1")
        noReason.reason = ""
        #expect(throws: LiveRoomsError.self) { try noReason.validate() }
        #expect(throws: Never.self) { try command(.mute, "v1", duration: 30).validate() }
        #expect(command(.mute, "v1", duration: 30).expiresAt == 40_000)
    }
}
