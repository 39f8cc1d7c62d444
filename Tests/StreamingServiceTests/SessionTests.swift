import Foundation
import Pipeline
import StreamingService
import Testing

@Suite("Live sessions")
struct SessionTests {
    static let reader = [("X-Customer-Id", "cus_pro")]

    @Test("schedule, start, stop, replay: each transition reaches the room")
    func lifecycle() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let viewer = try await server.connect(path: "/ws/rooms/desk-1", customerId: "cus_1")
            let created = try await HTTP.post(port: server.port, "/sessions", headers: HTTP.admin, body: #"{"room":"desk-1","title":"Opening bell","scheduled_for":"2026-11-23T14:30:00Z"}"#)
            #expect(created.status == 201)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["state"] as? String == "scheduled")
            #expect((created.json["scheduled_for"] as? NSNumber)?.int64Value == 1_795_444_200_000)
            let scheduled = try await viewer.next()
            #expect(scheduled.payloadType == "session_scheduled")

            let started = try await HTTP.post(port: server.port, "/sessions/\(id)/start", headers: HTTP.admin, body: nil)
            #expect(started.status == 200 && started.json["state"] as? String == "live")
            let startedEvent = try await viewer.next()
            #expect(startedEvent.payloadType == "session_started")
            #expect(startedEvent.payload["session_id"] as? String == id)

            let read = try await HTTP.get(port: server.port, "/sessions/\(id)", headers: Self.reader)
            #expect(read.status == 200 && read.json["state"] as? String == "live")

            let stopped = try await HTTP.post(port: server.port, "/sessions/\(id)/stop", headers: HTTP.admin, body: nil)
            #expect(stopped.status == 200 && stopped.json["state"] as? String == "ended")
            #expect(try await viewer.next().payloadType == "session_stopped")

            let replay = try await HTTP.post(port: server.port, "/sessions/\(id)/replay", headers: HTTP.admin, body: #"{"replay_url":"https://cdn.example.com/replays/\#(id).m3u8"}"#)
            #expect(replay.status == 200)
            let replayEvent = try await viewer.next()
            #expect(replayEvent.payloadType == "session_replay")
            #expect(replayEvent.payload["replay_url"] as? String == "https://cdn.example.com/replays/\(id).m3u8")

            let list = try await HTTP.get(port: server.port, "/sessions?room=desk-1", headers: Self.reader)
            let sessions = try #require(list.json["sessions"] as? [[String: Any]])
            #expect(sessions.map { $0["id"] as? String } == [id])
            let otherRoom = try await HTTP.get(port: server.port, "/sessions?room=desk-9", headers: Self.reader)
            #expect((otherRoom.json["sessions"] as? [Any])?.isEmpty == true)
            await viewer.close()
        }
    }

    @Test("illegal transitions 409, unknown session 404, bad bodies 400/422, no operator token 401")
    func refusals() async throws {
        try await TestServer.with(configuration: TestServer.configuration(knownRooms: ["public-room"])) { (server: TestServer) async throws in
            let created = try await HTTP.post(port: server.port, "/sessions", headers: HTTP.admin, body: #"{"id":"s-1"}"#)
            #expect(created.status == 201 && created.json["room"] as? String == "public-room")
            let duplicate = try await HTTP.post(port: server.port, "/sessions", headers: HTTP.admin, body: #"{"id":"s-1"}"#)
            #expect(duplicate.status == 409)

            let stopScheduled = try await HTTP.post(port: server.port, "/sessions/s-1/stop", headers: HTTP.admin, body: nil)
            #expect(stopScheduled.status == 409 && stopScheduled.errorCode == "illegal_transition")
            let replayEarly = try await HTTP.post(port: server.port, "/sessions/s-1/replay", headers: HTTP.admin, body: #"{"replay_url":"https://x.example/r"}"#)
            #expect(replayEarly.status == 409)
            #expect(try await HTTP.post(port: server.port, "/sessions/s-1/start", headers: HTTP.admin, body: nil).status == 200)
            let startTwice = try await HTTP.post(port: server.port, "/sessions/s-1/start", headers: HTTP.admin, body: nil)
            #expect(startTwice.status == 409)
            #expect(try await HTTP.post(port: server.port, "/sessions/s-1/stop", headers: HTTP.admin, body: nil).status == 200)
            let noURL = try await HTTP.post(port: server.port, "/sessions/s-1/replay", headers: HTTP.admin, body: #"{}"#)
            #expect(noURL.status == 422)
            let badURL = try await HTTP.post(port: server.port, "/sessions/s-1/replay", headers: HTTP.admin, body: #"{"replay_url":"ftp://x/y"}"#)
            #expect(badURL.status == 422)
            let malformed = try await HTTP.post(port: server.port, "/sessions/s-1/replay", headers: HTTP.admin, body: "{oops")
            #expect(malformed.status == 400)

            let unknownStart = try await HTTP.post(port: server.port, "/sessions/nope/start", headers: HTTP.admin, body: nil)
            #expect(unknownStart.status == 404 && unknownStart.errorCode == "unknown_session")
            let unknownRead = try await HTTP.get(port: server.port, "/sessions/nope", headers: Self.reader)
            #expect(unknownRead.status == 404)
            let unknownRoom = try await HTTP.post(port: server.port, "/sessions", headers: HTTP.admin, body: #"{"room":"elsewhere"}"#)
            #expect(unknownRoom.status == 404 && unknownRoom.errorCode == "unknown_room")
            let badDate = try await HTTP.post(port: server.port, "/sessions", headers: HTTP.admin, body: #"{"scheduled_for":"tomorrow"}"#)
            #expect(badDate.status == 422)

            let noToken = try await HTTP.post(port: server.port, "/sessions", body: "{}")
            #expect(noToken.status == 401)
            let wrongToken = try await HTTP.post(port: server.port, "/sessions/s-1/start", headers: [("Authorization", "Bearer wrong")], body: nil)
            #expect(wrongToken.status == 401)
            let noIdentity = try await HTTP.get(port: server.port, "/sessions/s-1")
            #expect(noIdentity.status == 401)
        }
    }

    @Test("sessions survive a restart of the service")
    func durable() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = TestServer.configuration(dataDirectory: directory)
            let id = try await TestServer.with(configuration: configuration) { (server: TestServer) async throws in
                let created = try await HTTP.post(port: server.port, "/sessions", headers: HTTP.admin, body: #"{"title":"durable"}"#)
                let id = try #require(created.json["id"] as? String)
                #expect(try await HTTP.post(port: server.port, "/sessions/\(id)/start", headers: HTTP.admin, body: nil).status == 200)
                return id
            }
            try await TestServer.with(configuration: configuration) { (server: TestServer) async throws in
                let read = try await HTTP.get(port: server.port, "/sessions/\(id)", headers: Self.reader)
                #expect(read.status == 200)
                #expect(read.json["state"] as? String == "live")
                #expect(read.json["title"] as? String == "durable")
                let startAgain = try await HTTP.post(port: server.port, "/sessions/\(id)/start", headers: HTTP.admin, body: nil)
                #expect(startAgain.status == 409, "the restored state still rules the transitions")
                #expect(try await HTTP.post(port: server.port, "/sessions/\(id)/stop", headers: HTTP.admin, body: nil).status == 200)
            }
        }
    }
}
