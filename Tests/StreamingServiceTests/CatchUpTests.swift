import Foundation
import Pipeline
import StreamingService
import Testing

@Suite("Catch-up")
struct CatchUpTests {
    static func ingest(_ server: TestServer, room: String = "public-room", _ n: Int) async throws -> UInt64 {
        let reply = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"room":"\#(room)","payload":{"type":"tick","n":\#(n)}}"#)
        guard reply.status == 202, let seq = (reply.json["seq"] as? NSNumber)?.uint64Value else { throw TestFailure("ingest failed: \(reply.text)") }
        return seq
    }

    @Test("a viewer resuming with last_seq gets what it missed, then live, no gap, no duplicate")
    func resume() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            var seqs: [UInt64] = []
            for n in 1...5 {
                seqs.append(try await Self.ingest(server, n))
                // Other rooms share the stream's sequence: the room's seqs are increasing, not contiguous.
                _ = try await Self.ingest(server, room: "other", n)
            }
            let viewer = try await server.connect(path: "/ws/rooms/public-room?last_seq=\(seqs[1])", customerId: "cus_1")
            var received: [UInt64] = []
            for _ in 0..<3 { received.append(try #require(try await viewer.next().seq)) }
            #expect(received == Array(seqs[2...]))
            let live = try await Self.ingest(server, 6)
            #expect(try await viewer.next().seq == live)
            #expect(viewer.pendingMessages.isEmpty)
            await viewer.close()
        }
    }

    @Test("catch-up while events keep arriving: every event exactly once, in order")
    func resumeUnderLoad() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            var published: [UInt64] = []
            for n in 0..<50 { published.append(try await Self.ingest(server, n)) }
            let start = published[9]
            let producer = Task {
                var more: [UInt64] = []
                for n in 50..<250 { more.append(try await Self.ingest(server, n)) }
                return more
            }
            let viewer = try await server.connect(path: "/ws/rooms/public-room?last_seq=\(start)", customerId: "cus_1")
            published += try await producer.value
            let expected = published.filter { $0 > start }
            var received: [UInt64] = []
            while received.count < expected.count {
                received.append(try #require(try await viewer.next().seq))
            }
            #expect(received == expected)
            try await Task.sleep(for: .milliseconds(100))
            #expect(viewer.pendingMessages.isEmpty, "no duplicate after the last event")
            await viewer.close()
        }
    }

    @Test("what retention dropped is announced with catchup_gap before the retained events")
    func retentionGap() async throws {
        let pipeline = MemoryPipeline(retention: PipelineRetention(maxLength: 4))
        try await TestServer.with(pipeline: pipeline) { (server: TestServer) async throws in
            var seqs: [UInt64] = []
            for n in 1...10 { seqs.append(try await Self.ingest(server, n)) }
            let viewer = try await server.connect(path: "/ws/rooms/public-room?last_seq=\(seqs[0])", customerId: "cus_1")
            let gap = try await viewer.next()
            #expect(gap.payloadType == "catchup_gap")
            #expect(gap.payload["reason"] as? String == "retention")
            #expect(gap.seq == nil, "a gap notice is not part of the room sequence")
            let firstAvailable = try #require((gap.payload["first_available"] as? NSNumber)?.uint64Value)
            #expect(firstAvailable > seqs[1])
            var received: [UInt64] = []
            for _ in seqs.filter({ $0 >= firstAvailable }) { received.append(try #require(try await viewer.next().seq)) }
            #expect(received == seqs.filter { $0 >= firstAvailable })
            await viewer.close()

            // Within retention: no gap message.
            let recent = try await server.connect(path: "/ws/rooms/public-room?last_seq=\(seqs[8])", customerId: "cus_2")
            let next = try await recent.next()
            #expect(next.payloadType == "tick")
            #expect(next.seq == seqs[9])
            await recent.close()
        }
    }

    @Test("a last_seq beyond the stream (sequence reset) is announced too")
    func reset() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            _ = try await Self.ingest(server, 1)
            let viewer = try await server.connect(path: "/ws/rooms/public-room?after=500", customerId: "cus_1")
            let gap = try await viewer.next()
            #expect(gap.payloadType == "catchup_gap")
            #expect(gap.payload["reason"] as? String == "reset")
            let live = try await Self.ingest(server, 2)
            #expect(try await viewer.next().seq == live)
            await viewer.close()
        }
    }
}
