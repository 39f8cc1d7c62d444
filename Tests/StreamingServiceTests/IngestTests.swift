import Foundation
import Pipeline
import StreamingService
import Synchronization
import Testing

@Suite("Ingest")
struct IngestTests {
    @Test("reports and inplay ingest reach viewers as envelopes with payload.type")
    func ingestReachesViewers() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let viewer = try await server.connect(path: "/ws/rooms/public-room", customerId: "cus_1")
            let other = try await server.connect(path: "/ws/rooms/desk-2", customerId: "cus_2")
            let first = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"payload":{"type":"indicator","indicator":{"name":"rsi","value":61.5}}}"#)
            #expect(first.status == 202)
            #expect(first.json["room"] as? String == "public-room")
            let firstSeq = try #require((first.json["seq"] as? NSNumber)?.uint64Value)
            let message = try await viewer.next()
            #expect(message["room"] as? String == "public-room")
            #expect(message.seq == firstSeq)
            #expect((message["ts"] as? NSNumber)?.int64Value ?? 0 > 1_600_000_000_000)
            #expect(message.payloadType == "indicator")
            #expect(((message.payload["indicator"] as? [String: Any])?["value"] as? NSNumber)?.doubleValue == 61.5)

            // A bare object is the payload; `?room=` picks the room; inplay has its own token.
            let second = try await HTTP.post(port: server.port, "/ingest/inplay?room=desk-2", headers: HTTP.inplay, body: #"{"type":"marketState","marketState":{"symbol":"ES","state":"open"}}"#)
            #expect(second.status == 202)
            #expect(second.json["room"] as? String == "desk-2")
            let inplay = try await other.next()
            #expect(inplay.payloadType == "marketState")
            #expect(inplay.seq == (second.json["seq"] as? NSNumber)?.uint64Value)
            #expect(viewer.pendingMessages.isEmpty, "a room's viewers see only their room")

            // Envelope form with an explicit room.
            let third = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"room":"desk-2","payload":{"type":"execution","qty":3}}"#)
            #expect(third.status == 202)
            let execution = try await other.next()
            #expect(execution.payloadType == "execution")
            #expect((execution.seq ?? 0) > (inplay.seq ?? .max))
            await viewer.close()
            await other.close()
        }
    }

    @Test("wrong, missing or swapped tokens get 401")
    func tokens() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let body = #"{"payload":{"type":"indicator"}}"#
            let missing = try await HTTP.post(port: server.port, "/ingest/reports", body: body)
            #expect(missing.status == 401)
            #expect(missing.errorCode == "missing_token")
            let wrong = try await HTTP.post(port: server.port, "/ingest/reports", headers: [("Authorization", "Bearer nope")], body: body)
            #expect(wrong.status == 401)
            #expect(wrong.errorCode == "invalid_token")
            let swapped = try await HTTP.post(port: server.port, "/ingest/inplay", headers: HTTP.reports, body: body)
            #expect(swapped.status == 401)
            let page = try await server.pipeline.replay("rooms.>", after: 0, limit: 10)
            #expect(page.events.isEmpty, "nothing refused reaches the pipeline")
        }
    }

    @Test("malformed bodies get 400, unacceptable values 422, unknown rooms 404")
    func badBodies() async throws {
        try await TestServer.with(configuration: TestServer.configuration(knownRooms: ["public-room", "desk-2"])) { (server: TestServer) async throws in
            func post(_ body: String) async throws -> HTTP.Reply {
                try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: body)
            }
            let notJSON = try await post("{not json")
            #expect(notJSON.status == 400 && notJSON.errorCode == "malformed_json")
            let array = try await post("[1,2]")
            #expect(array.status == 400 && array.errorCode == "malformed_json")
            let empty = try await post("")
            #expect(empty.status == 400)
            let payloadNotObject = try await post(#"{"payload":"text"}"#)
            #expect(payloadNotObject.status == 400 && payloadNotObject.errorCode == "invalid_payload")
            let roomNotString = try await post(#"{"room":5,"payload":{}}"#)
            #expect(roomNotString.status == 400)
            let reserved = try await post(#"{"payload":{"type":"moderation","action":"ban","target":"x"}}"#)
            #expect(reserved.status == 422 && reserved.errorCode == "reserved_type")
            let session = try await post(#"{"payload":{"type":"session_started"}}"#)
            #expect(session.status == 422)
            let badRoom = try await post(#"{"room":"a.b","payload":{}}"#)
            #expect(badRoom.status == 422 && badRoom.errorCode == "invalid_room")
            let unknownRoom = try await post(#"{"room":"elsewhere","payload":{}}"#)
            #expect(unknownRoom.status == 404 && unknownRoom.errorCode == "unknown_room")
            let page = try await server.pipeline.replay("rooms.>", after: 0, limit: 10)
            #expect(page.events.isEmpty)
        }
    }

    @Test("X-Idempotency-Key: a retry gets the first sequence and is delivered once")
    func idempotency() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let viewer = try await server.connect(path: "/ws/rooms/public-room", customerId: "cus_1")
            let headers = HTTP.reports + [("X-Idempotency-Key", "exec-42")]
            let body = #"{"payload":{"type":"execution","id":42}}"#
            let first = try await HTTP.post(port: server.port, "/ingest/reports", headers: headers, body: body)
            let retry = try await HTTP.post(port: server.port, "/ingest/reports", headers: headers, body: body)
            #expect(first.status == 202 && retry.status == 202)
            #expect(first.json["seq"] as? NSNumber == retry.json["seq"] as? NSNumber)
            let marker = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"payload":{"type":"marker"}}"#)
            #expect((try await viewer.next()).payloadType == "execution")
            let next = try await viewer.next()
            #expect(next.payloadType == "marker", "the retry was not delivered again")
            #expect(next.seq == (marker.json["seq"] as? NSNumber)?.uint64Value)
            await viewer.close()
        }
    }

    @Test("pipeline down: 503")
    func pipelineDown() async throws {
        try await TestServer.with(pipeline: UnavailablePipeline()) { (server: TestServer) async throws in
            let reply = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"payload":{"type":"x"}}"#)
            #expect(reply.status == 503)
            #expect(reply.errorCode == "pipeline_unavailable")
        }
    }
}

/// A pipeline whose broker is down for publishing (subscriptions stay open, empty).
final class UnavailablePipeline: EventPipeline {
    private let open = Mutex<[AsyncThrowingStream<PipelineEvent, any Error>.Continuation]>([])

    func publish(subject: String, payload: [UInt8], idempotencyKey: String?) async throws -> UInt64 {
        throw PipelineError.unavailable("broker down (test)")
    }

    func subscribe(_ filter: String, from start: SubscriptionStart) async throws -> PipelineSubscription {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: PipelineEvent.self)
        open.withLock { $0.append(continuation) }
        return PipelineSubscription(stream)
    }

    func replay(_ filter: String, after: UInt64, limit: Int) async throws -> ReplayPage {
        throw PipelineError.unavailable("broker down (test)")
    }

    func isReady() async -> Bool { true }
}

@Suite("Raw JSON members")
struct RawJSONMembersTests {
    @Test("the payload reaches viewers byte for byte (decimals, spacing, nested strings)")
    func exactBytes() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let viewer = try await server.connect(path: "/ws/rooms/public-room", customerId: "cus_1")
            let payload = #"{"type":"execution", "price":101.50,"qty":12345678901234567890,"note":"a \"}\" b","legs":[{"x":[1,{"y":"]"}]}]}"#
            let reply = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{ "payload" : \#(payload) , "room":"public-room" }"#)
            #expect(reply.status == 202)
            let frame = try #require(try await viewer.nextRaw())
            #expect(frame.hasSuffix(#","payload":\#(payload)}"#))
            await viewer.close()
        }
    }
}
