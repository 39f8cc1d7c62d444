import Foundation
import Pipeline
import StreamingService
import Testing

@Suite("Moderation")
struct ModerationTests {
    static func moderate(_ server: TestServer, room: String = "public-room", _ body: String) async throws -> HTTP.Reply {
        try await HTTP.post(port: server.port, "/moderation/rooms/\(room)", headers: HTTP.admin, body: body)
    }

    @Test("ban: the viewer is disconnected with 4003 and refused when it comes back; others stay")
    func ban() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let target = try await server.connect(path: "/ws/rooms/public-room", customerId: "troll")
            let bystander = try await server.connect(path: "/ws/rooms/public-room", customerId: "cus_2")
            let elsewhere = try await server.connect(path: "/ws/rooms/other", customerId: "troll")
            let reply = try await Self.moderate(server, #"{"action":"ban","target":"troll","reason":"spam"}"#)
            #expect(reply.status == 202)
            #expect((reply.json["command"] as? [String: Any])?["action"] as? String == "ban")
            #expect(try await target.closeCode() == 4003)
            let notice = try await bystander.next()
            #expect(notice.payloadType == "moderation")
            #expect(notice.payload["action"] as? String == "ban")
            #expect(notice.payload["target"] as? String == "troll")

            let again = try await HTTP.upgrade(port: server.port, "/ws/rooms/public-room", headers: [("X-Customer-Id", "troll")])
            expectRefusedUpgrade(again, status: 403, code: "banned")
            await #expect(throws: (any Error).self) {
                try await server.connect(path: "/ws/rooms/public-room", customerId: "troll")
            }
            // The ban is per room.
            _ = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"room":"other","payload":{"type":"still-here"}}"#)
            #expect(try await elsewhere.next().payloadType == "still-here")
            #expect(!bystander.isClosed)
            await bystander.close()
            await elsewhere.close()
        }
    }

    @Test("a timed ban ends; unban lifts one")
    func timedBan() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            #expect(try await Self.moderate(server, #"{"action":"ban","target":"v1","reason":"cool down","duration_seconds":1}"#).status == 202)
            #expect(try await Self.moderate(server, #"{"action":"ban","target":"v2","reason":"spam"}"#).status == 202)
            #expect(try await Self.moderate(server, #"{"action":"unban","target":"v2","reason":"appeal"}"#).status == 202)
            let v2 = try await server.connect(path: "/ws/rooms/public-room", customerId: "v2")
            var v1: Viewer?
            try await eventually("ban expiry", timeout: .seconds(5)) {
                v1 = try? await server.connect(path: "/ws/rooms/public-room", customerId: "v1")
                return v1 != nil
            }
            await v1?.close()
            await v2.close()
        }
    }

    @Test("mute: the viewer's chat is refused with an error to it only")
    func mute() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let muted = try await server.connect(path: "/ws/rooms/public-room", customerId: "loud")
            let other = try await server.connect(path: "/ws/rooms/public-room", customerId: "calm")
            #expect(try await Self.moderate(server, #"{"action":"mute","target":"loud","reason":"caps lock","duration_seconds":600}"#).status == 202)
            #expect(try await muted.next().payloadType == "moderation")
            #expect(try await other.next().payloadType == "moderation")
            try await muted.send(#"{"type":"chat","text":"HELLO"}"#)
            let error = try await muted.next()
            #expect(error.payloadType == "error")
            #expect(error.payload["code"] as? String == "muted")
            try await other.send(#"{"type":"chat","text":"hi"}"#)
            let chat = try await other.next()
            #expect(chat.payloadType == "chat")
            #expect(chat.payload["viewer"] as? String == "calm", "the muted chat never reached the room")
            #expect(try await muted.next().payload["viewer"] as? String == "calm")
            await muted.close()
            await other.close()
        }
    }

    @Test("warn reaches its target only")
    func warn() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let target = try await server.connect(path: "/ws/rooms/public-room", customerId: "v1")
            let other = try await server.connect(path: "/ws/rooms/public-room", customerId: "v2")
            #expect(try await Self.moderate(server, #"{"action":"warn","target":"v1","reason":"language"}"#).status == 202)
            let warning = try await target.next()
            #expect(warning.payloadType == "moderation")
            #expect(warning.payload["action"] as? String == "warn")
            #expect(warning.payload["reason"] as? String == "language")
            _ = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"payload":{"type":"marker"}}"#)
            #expect(try await other.next().payloadType == "marker", "the warning was not delivered to another viewer")
            #expect(try await target.next().payloadType == "marker")
            // Nor replayed to others on catch-up.
            let resumed = try await server.connect(path: "/ws/rooms/public-room?last_seq=0", customerId: "v3")
            #expect(try await resumed.next().payloadType == "marker")
            await target.close()
            await other.close()
            await resumed.close()
        }
    }

    @Test("bad moderation requests")
    func refusals() async throws {
        try await TestServer.with(configuration: TestServer.configuration(knownRooms: ["public-room"])) { (server: TestServer) async throws in
            let unknownAction = try await Self.moderate(server, #"{"action":"kick","target":"v1","reason":"x"}"#)
            #expect(unknownAction.status == 422 && unknownAction.errorCode == "invalid_action")
            let noTarget = try await Self.moderate(server, #"{"action":"ban","reason":"x"}"#)
            #expect(noTarget.status == 422)
            let badDuration = try await Self.moderate(server, #"{"action":"mute","target":"v1","reason":"x","duration_seconds":-5}"#)
            #expect(badDuration.status == 422)
            let malformed = try await Self.moderate(server, "not json")
            #expect(malformed.status == 400)
            let unknownRoom = try await Self.moderate(server, room: "elsewhere", #"{"action":"ban","target":"v1","reason":"x"}"#)
            #expect(unknownRoom.status == 404)
            let noToken = try await HTTP.post(port: server.port, "/moderation/rooms/public-room", body: #"{"action":"ban","target":"v1","reason":"x"}"#)
            #expect(noToken.status == 401)
            let page = try await server.pipeline.replay("rooms.>", after: 0, limit: 10)
            #expect(page.events.isEmpty)
        }
    }

    @Test("a ban survives a restart of the service")
    func durable() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = TestServer.configuration(dataDirectory: directory)
            try await TestServer.with(configuration: configuration) { (server: TestServer) async throws in
                #expect(try await Self.moderate(server, #"{"action":"ban","target":"troll","reason":"spam"}"#).status == 202)
            }
            try await TestServer.with(configuration: configuration) { (server: TestServer) async throws in
                let again = try await HTTP.upgrade(port: server.port, "/ws/rooms/public-room", headers: [("X-Customer-Id", "troll")])
                expectRefusedUpgrade(again, status: 403, code: "banned")
                let fine = try await server.connect(path: "/ws/rooms/public-room", customerId: "cus_2")
                await fine.close()
            }
        }
    }
}
