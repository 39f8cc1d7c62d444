import Foundation
import Pipeline
import StreamingService
import Testing

@Suite("Fan-out")
struct FanoutTests {
    @Test("100 viewers in one room each receive every ingested event once, in order")
    func manyViewers() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            var viewers: [Viewer] = []
            for index in 0..<100 {
                viewers.append(try await server.connect(path: "/ws/rooms/crowd?customer_id=viewer-\(index)"))
            }
            var published: [UInt64] = []
            for n in 0..<30 {
                let reply = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"room":"crowd","payload":{"type":"tick","n":\#(n)}}"#)
                published.append(try #require((reply.json["seq"] as? NSNumber)?.uint64Value))
            }
            for viewer in viewers {
                var received: [UInt64] = []
                for _ in published { received.append(try #require(try await viewer.next().seq)) }
                #expect(received == published)
            }
            for viewer in viewers { await viewer.close() }
        }
    }
}
