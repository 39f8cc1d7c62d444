import LiveRooms
import Testing

@Suite("Live sessions")
struct LiveSessionTests {
    func scheduled() -> LiveSession {
        LiveSession(id: "s1", room: "r1", title: "Open", scheduledFor: 5_000, createdAt: 1_000)
    }

    @Test("scheduled → live → ended → replay, versions grow")
    func lifecycle() throws {
        var session = scheduled()
        #expect(session.state == .scheduled)
        try session.start(at: 2_000)
        #expect(session.state == .live && session.startedAt == 2_000 && session.version == 2)
        try session.stop(at: 3_000)
        #expect(session.state == .ended && session.stoppedAt == 3_000 && session.version == 3)
        try session.publishReplay(url: "https://cdn.example.com/replays/s1.m3u8")
        #expect(session.replayURL == "https://cdn.example.com/replays/s1.m3u8" && session.version == 4)
    }

    @Test("illegal transitions are refused and change nothing")
    func illegal() throws {
        var session = scheduled()
        #expect(throws: LiveRoomsError.illegalTransition(sessionId: "s1", from: .scheduled, action: "stop")) { try session.stop(at: 1) }
        #expect(throws: LiveRoomsError.self) { try session.publishReplay(url: "https://x.example/r") }
        try session.start(at: 2)
        #expect(throws: LiveRoomsError.self) { try session.start(at: 3) }
        #expect(session.state == .live && session.version == 2)
        do {
            try session.start(at: 4)
        } catch {
            #expect(error.isIllegalTransition)
        }
    }

    @Test("a replay URL must be http(s)")
    func replayURL() throws {
        var session = scheduled()
        try session.start(at: 1)
        try session.stop(at: 2)
        for bad in ["ftp://x/y", "javascript:alert(1)", "https://", "not a url"] {
            #expect(throws: LiveRoomsError.self) { try session.publishReplay(url: bad) }
        }
        #expect(session.replayURL == nil)
    }

    @Test("the book keeps the highest version and lists a room's sessions")
    func book() throws {
        var book = LiveSessionBook()
        let first = scheduled()
        try book.schedule(first)
        #expect(throws: LiveRoomsError.self) { try book.schedule(first) }
        let live = try book.transition("s1") { (session: inout LiveSession) throws(LiveRoomsError) in try session.start(at: 9) }
        #expect(book.session("s1")?.state == .scheduled, "transition does not store")
        let appliedLive = book.apply(live)
        #expect(appliedLive)
        let appliedOld = book.apply(first)
        #expect(!appliedOld, "an older snapshot is ignored")
        #expect(book.session("s1")?.state == .live)
        try book.schedule(LiveSession(id: "s2", room: "r2", title: nil, scheduledFor: nil, createdAt: 2_000))
        #expect(book.sessions(room: "r1").map(\.id) == ["s1"])
        #expect(book.sessions(room: nil).map(\.id) == ["s1", "s2"])
        do {
            _ = try book.transition("nope") { (session: inout LiveSession) throws(LiveRoomsError) in try session.start(at: 1) }
            Issue.record("expected unknownSession")
        } catch {
            #expect(error.isUnknownSession)
        }
    }
}
