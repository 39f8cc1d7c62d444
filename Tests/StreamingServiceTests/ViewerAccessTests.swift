import Entitlements
import Foundation
import Pipeline
import StreamingService
import Testing
import WebSocketCore

@Suite("Viewer access")
struct ViewerAccessTests {
    static let entitlementsDocument = #"""
    {"plans": {"free": {"capabilities": ["can.stream_public"]}, "pro": {"capabilities": ["can.stream", "can.stream_public"]}, "none": {"capabilities": []}},
     "customers": {"cus_free": {"plan": "free"}, "cus_pro": {"plan": "pro"}, "cus_none": {"plan": "none"}}}
    """#

    static func provider() throws -> FileEntitlementsProvider {
        try FileEntitlementsProvider(json: Array(entitlementsDocument.utf8))
    }

    @Test("the viewer capability is checked before the upgrade: refused viewers get 403 and no socket")
    func entitlementChecked() async throws {
        try await TestServer.with(entitlements: try Self.provider()) { (server: TestServer) async throws in
            let allowed = try await server.connect(path: "/ws/rooms/public-room", customerId: "cus_free")
            for customer in ["cus_none", "cus_unknown"] {
                let reply = try await HTTP.upgrade(port: server.port, "/ws/rooms/public-room", headers: [("X-Customer-Id", customer)])
                expectRefusedUpgrade(reply, status: 403, code: "entitlement_required")
                await #expect(throws: (any Error).self) {
                    try await server.connect(path: "/ws/rooms/public-room", customerId: customer)
                }
            }
            #expect(server.runtime.hub.connectionCount == 1)
            await allowed.close()
        }
    }

    @Test("identity: header, ?customer_id=, signed ?token=; none or a bad token is refused")
    func identities() async throws {
        try await TestServer.with(entitlements: try Self.provider()) { (server: TestServer) async throws in
            let byQuery = try await server.connect(path: "/ws/rooms/public-room?customer_id=cus_free")
            let issued = try await HTTP.post(port: server.port, "/viewer-tokens", headers: HTTP.admin, body: #"{"viewer":"cus_free","ttl_seconds":60}"#)
            #expect(issued.status == 201)
            let token = try #require(issued.json["token"] as? String)
            let byToken = try await server.connect(path: "/ws/rooms/public-room?token=\(token)")

            let none = try await HTTP.upgrade(port: server.port, "/ws/rooms/public-room")
            expectRefusedUpgrade(none, status: 401, code: "missing_identity")
            let forged = ViewerToken(secret: "another-secret").issue(viewer: "cus_free", expiresAt: Int64(Date().timeIntervalSince1970) + 60)
            let badToken = try await HTTP.upgrade(port: server.port, "/ws/rooms/public-room?token=\(forged)")
            expectRefusedUpgrade(badToken, status: 401, code: "invalid_token")
            let expired = ViewerToken(secret: TestServer.viewerSecret).issue(viewer: "cus_free", expiresAt: 1_000)
            let expiredReply = try await HTTP.upgrade(port: server.port, "/ws/rooms/public-room?token=\(expired)")
            expectRefusedUpgrade(expiredReply, status: 401, code: "invalid_token")
            let noTokenAuth = try await HTTP.post(port: server.port, "/viewer-tokens", body: #"{"viewer":"x"}"#)
            #expect(noTokenAuth.status == 401)

            _ = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"payload":{"type":"hello"}}"#)
            #expect((try await byQuery.next()).payloadType == "hello")
            #expect((try await byToken.next()).payloadType == "hello")
            await byQuery.close()
            await byToken.close()
        }
    }

    @Test("STREAMING_QUERY_IDENTITY=0: ?customer_id= no longer identifies a viewer, tokens still do")
    func queryIdentityOff() async throws {
        var configuration = TestServer.configuration()
        configuration.acceptsQueryIdentity = false
        try await TestServer.with(configuration: configuration) { (server: TestServer) async throws in
            let refused = try await HTTP.upgrade(port: server.port, "/ws/rooms/public-room?customer_id=cus_free")
            expectRefusedUpgrade(refused, status: 401, code: "missing_identity")
            let token = ViewerToken(secret: TestServer.viewerSecret).issue(viewer: "cus_free", expiresAt: Int64(Date().timeIntervalSince1970) + 60)
            let viewer = try await server.connect(path: "/ws/rooms/public-room?token=\(token)")
            await viewer.close()
        }
    }

    @Test("unknown room 404, bad last_seq 400")
    func badRequests() async throws {
        try await TestServer.with(configuration: TestServer.configuration(knownRooms: ["public-room"])) { (server: TestServer) async throws in
            let unknown = try await HTTP.upgrade(port: server.port, "/ws/rooms/nowhere", headers: [("X-Customer-Id", "cus_1")])
            expectRefusedUpgrade(unknown, status: 404, code: "unknown_room")
            let malformed = try await HTTP.upgrade(port: server.port, "/ws/rooms/bad.room", headers: [("X-Customer-Id", "cus_1")])
            expectRefusedUpgrade(malformed, status: 404, code: "unknown_room")
            let badSeq = try await HTTP.upgrade(port: server.port, "/ws/rooms/public-room?last_seq=-4", headers: [("X-Customer-Id", "cus_1")])
            expectRefusedUpgrade(badSeq, status: 400, code: "invalid_last_seq")
            #expect(server.runtime.hub.connectionCount == 0)
        }
    }

    @Test("history: can.stream through the shared middleware")
    func history() async throws {
        try await TestServer.with(entitlements: try Self.provider()) { (server: TestServer) async throws in
            for index in 1...3 {
                let reply = try await HTTP.post(port: server.port, "/ingest/reports", headers: HTTP.reports, body: #"{"payload":{"type":"indicator","n":\#(index)}}"#)
                #expect(reply.status == 202)
            }
            let page = try await HTTP.get(port: server.port, "/rooms/public-room/events?after=0&limit=2", headers: [("X-Customer-Id", "cus_pro")])
            #expect(page.status == 200)
            let events = try #require(page.json["events"] as? [[String: Any]])
            #expect(events.count == 2)
            #expect(events.compactMap { ($0["payload"] as? [String: Any])?["n"] as? Int } == [1, 2])
            let nextAfter = try #require((page.json["next_after"] as? NSNumber)?.uint64Value)
            let rest = try await HTTP.get(port: server.port, "/rooms/public-room/events?after=\(nextAfter)", headers: [("X-Customer-Id", "cus_pro")])
            #expect((rest.json["events"] as? [[String: Any]])?.count == 1)
            #expect(rest.json["gap"] as? Bool == false)

            let noIdentity = try await HTTP.get(port: server.port, "/rooms/public-room/events")
            #expect(noIdentity.status == 401)
            let publicOnly = try await HTTP.get(port: server.port, "/rooms/public-room/events", headers: [("X-Customer-Id", "cus_free")])
            #expect(publicOnly.status == 403 && publicOnly.errorCode == "entitlement_required")
            let badAfter = try await HTTP.get(port: server.port, "/rooms/public-room/events?after=x", headers: [("X-Customer-Id", "cus_pro")])
            #expect(badAfter.status == 400)
            let badLimit = try await HTTP.get(port: server.port, "/rooms/public-room/events?limit=0", headers: [("X-Customer-Id", "cus_pro")])
            #expect(badLimit.status == 400)
            let badRoom = try await HTTP.get(port: server.port, "/rooms/no.room/events", headers: [("X-Customer-Id", "cus_pro")])
            #expect(badRoom.status == 404)
        }
    }
}
