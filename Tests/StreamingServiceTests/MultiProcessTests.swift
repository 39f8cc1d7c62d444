import BrokerTestSupport
import Foundation
import Testing

@Suite("Many nodes", .serialized)
struct MultiProcessTests {
    static func environment(backend: String, url: String, dataDirectory: String) -> [String: String] {
        [
            "STREAMING_PIPELINE_BACKEND": backend,
            backend == "redis" ? "STREAMING_REDIS_URL" : "STREAMING_NATS_URL": url,
            "STREAMING_SERVICE_TOKEN_REPORTS": TestServer.reportsToken,
            "STREAMING_SERVICE_TOKEN_INPLAY": TestServer.inplayToken,
            "STREAMING_ADMIN_TOKEN": TestServer.adminToken,
            "ENTITLEMENTS_BYPASS": "1",
            "STREAMING_DATA_DIR": dataDirectory,
        ]
    }

    /// Two processes on one broker: viewers on each receive what either ingests; a ban issued at
    /// one disconnects the viewer at the other; a session created at one is read at the other.
    static func twoNodes(backend: String, url: String) async throws {
        try await withTemporaryDirectory { directory in
            let first = try ServiceProcess(environment: environment(backend: backend, url: url, dataDirectory: directory + "/a"))
            defer { first.kill() }
            let second = try ServiceProcess(environment: environment(backend: backend, url: url, dataDirectory: directory + "/b"))
            defer { second.kill() }
            try await first.waitUntilReady()
            try await second.waitUntilReady()

            // `last_seq=0`: each viewer gets every event of the room from the start of this fresh
            // broker's stream, so none is missed while its socket is being subscribed.
            let onFirst = try await Viewer.connect(port: first.port, path: "/ws/rooms/public-room?last_seq=0", customerId: "viewer-a")
            let onSecond = try await Viewer.connect(port: second.port, path: "/ws/rooms/public-room?last_seq=0", customerId: "viewer-b")

            let ingested = try await HTTP.post(port: first.port, "/ingest/reports", headers: HTTP.reports, body: #"{"payload":{"type":"indicator","from":"first"}}"#)
            #expect(ingested.status == 202)
            let seq = (ingested.json["seq"] as? NSNumber)?.uint64Value
            let atFirst = try await onFirst.next()
            let atSecond = try await onSecond.next()
            #expect(atFirst.payload["from"] as? String == "first")
            #expect(atSecond.payload["from"] as? String == "first")
            #expect(atFirst.seq == seq && atSecond.seq == seq)

            let back = try await HTTP.post(port: second.port, "/ingest/inplay", headers: HTTP.inplay, body: #"{"payload":{"type":"marketState","from":"second"}}"#)
            #expect(back.status == 202)
            #expect(try await onFirst.next().payload["from"] as? String == "second")
            #expect(try await onSecond.next().payload["from"] as? String == "second")

            let created = try await HTTP.post(port: first.port, "/sessions", headers: HTTP.admin, body: #"{"id":"cross-node"}"#)
            #expect(created.status == 201)
            try await eventually("session known at the other node") {
                let read = try await HTTP.get(port: second.port, "/sessions/cross-node", headers: [("X-Customer-Id", "ops")])
                return read.status == 200 && read.json["state"] as? String == "scheduled"
            }

            let ban = try await HTTP.post(port: first.port, "/moderation/rooms/public-room", headers: HTTP.admin, body: #"{"action":"ban","target":"viewer-b","reason":"spam"}"#)
            #expect(ban.status == 202)
            #expect(try await onSecond.closeCode() == 4003)
            let refused = try await HTTP.upgrade(port: second.port, "/ws/rooms/public-room", headers: [("X-Customer-Id", "viewer-b")])
            expectRefusedUpgrade(refused, status: 403, code: "banned")
            await onFirst.close()
        }
    }

    @Test("two streaming processes on one real Redis")
    func redis() async throws {
        try await withRedisServer { redis in
            try await Self.twoNodes(backend: "redis", url: redis.url)
        }
    }

    @Test("two streaming processes on one real NATS JetStream")
    func nats() async throws {
        try await withNatsServer { nats in
            try await Self.twoNodes(backend: "nats", url: nats.url)
        }
    }

    @Test("a missing ingest token stops the executable at start, naming the variable")
    func missingSecret() async throws {
        let process = try ServiceProcess(environment: ["STREAMING_SERVICE_TOKEN_REPORTS": "x", "ENTITLEMENTS_BYPASS": "1"])
        defer { process.kill() }
        #expect(try await process.waitForExit() == 78)
        #expect(process.errorOutput().contains("STREAMING_SERVICE_TOKEN_INPLAY"))
    }
}
