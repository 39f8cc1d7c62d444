import Foundation
import Pipeline
import StreamingService
import Testing
import WebSocketCore

@Suite("Lifecycle and observability")
struct LifecycleTests {
    @Test("graceful shutdown closes viewers with 1001")
    func gracefulShutdown() async throws {
        let server = try await TestServer.start()
        let viewer: Viewer
        do {
            viewer = try await server.connect(path: "/ws/rooms/public-room", customerId: "cus_1")
            try await eventually("the server registered the socket") { server.runtime.hub.connectionCount == 1 }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        let code = try await viewer.closeCode()
        #expect(code == 1001)
    }

    @Test("healthz, readyz and the service's metrics")
    func observability() async throws {
        try await TestServer.with { (server: TestServer) async throws in
            let health = try await HTTP.get(port: server.port, "/healthz")
            #expect(health.status == 200 && health.json["service"] as? String == "streaming")
            let ready = try await HTTP.get(port: server.port, "/readyz")
            #expect(ready.status == 200)
            #expect((ready.json["checks"] as? [String: Any])?["room_subscription"] as? String == "ok")
            _ = try await HTTP.post(port: server.port, "/ingest/inplay", headers: HTTP.inplay, body: #"{"payload":{"type":"setup"}}"#)
            try await eventually("fan-out counted") {
                let metrics = try await HTTP.get(port: server.port, "/metrics").text
                return metrics.contains("streaming_ingested_total{source=\"inplay\"}") && metrics.contains("streaming_events_fanned_out_total")
            }
        }
    }
}
