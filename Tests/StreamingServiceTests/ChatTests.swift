import Foundation
import Pipeline
import StreamingService
import Testing

@Suite("Chat")
struct ChatTests {
    @Test("chat reaches the room and the chat.{roomId} log")
    func chat() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let alice = try await server.connect(path: "/ws/rooms/public-room", customerId: "alice")
            let bob = try await server.connect(path: "/ws/rooms/public-room", customerId: "bob")
            try await alice.send(#"{"type":"chat","text":"gm \"all\""}"#)
            for viewer in [alice, bob] {
                let message = try await viewer.next()
                #expect(message.payloadType == "chat")
                #expect(message.payload["viewer"] as? String == "alice")
                #expect(message.payload["text"] as? String == #"gm "all""#)
                #expect(message.seq != nil)
            }
            try await eventually("chat log") {
                let log = try await server.pipeline.replay("chat.public-room", after: 0, limit: 10)
                return log.events.count == 1
            }
            await alice.close()
            await bob.close()
        }
    }

    @Test("bad messages get an error and the socket stays open")
    func badMessages() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let viewer = try await server.connect(path: "/ws/rooms/public-room", customerId: "v1")
            let cases: [(String, String)] = [
                ("{not json", "malformed_json"),
                ("[1]", "malformed_json"),
                (#"{"text":"no type"}"#, "missing_type"),
                (#"{"type":"shout","text":"x"}"#, "unknown_type"),
                (#"{"type":"chat","text":42}"#, "invalid_chat"),
                (#"{"type":"chat","text":"   "}"#, "chat_empty"),
                (#"{"type":"chat","text":"\#(String(repeating: "a", count: 51))"}"#, "chat_too_long"),
            ]
            for (text, code) in cases {
                try await viewer.send(text)
                let error = try await viewer.next()
                #expect(error.payloadType == "error", "\(text)")
                #expect(error.payload["code"] as? String == code, "\(text)")
                #expect(error.seq == nil)
            }
            try await viewer.send(#"{"type":"chat","text":"\#(String(repeating: "a", count: 50))"}"#)
            #expect(try await viewer.next().payloadType == "chat", "the socket stayed open and the limit is inclusive")
            #expect(!viewer.isClosed)
            await viewer.close()
        }
    }

    @Test("chat is rate limited per viewer")
    func rateLimit() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let viewer = try await server.connect(path: "/ws/rooms/public-room", customerId: "fast")
            let other = try await server.connect(path: "/ws/rooms/public-room", customerId: "slow")
            for n in 1...3 {
                try await viewer.send(#"{"type":"chat","text":"msg \#(n)"}"#)
                #expect(try await viewer.next().payloadType == "chat")
            }
            try await viewer.send(#"{"type":"chat","text":"msg 4"}"#)
            let error = try await viewer.next()
            #expect(error.payload["code"] as? String == "rate_limited")
            try await other.send(#"{"type":"chat","text":"my turn"}"#)
            var texts: [String] = []
            for _ in 0..<4 { texts.append(try await other.next().payload["text"] as? String ?? "") }
            #expect(texts == ["msg 1", "msg 2", "msg 3", "my turn"])
            await viewer.close()
            await other.close()
        }
    }
}
