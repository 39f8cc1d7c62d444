import Entitlements
import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The behaviour every service inherits from HTTPCore, through a small app built the way the
/// services build theirs.
@Suite struct StandardMiddlewareTests {
    struct Order: Decodable {
        var shares: Int
    }

    static func makeApp(ready: Bool = true, provider: any EntitlementsProvider = BypassEntitlementsProvider()) -> some ApplicationProtocol {
        let router = Router()
        let settings = HTTPServerSettings(port: 0, maxBodyBytes: 64)
        StandardMiddleware.install(on: router, service: "test", settings: settings, checks: [
            ReadinessCheck(name: "pipeline") { ready },
        ])
        router.post("/orders") { request, _ -> Response in
            let order = try await request.decodeJSON(as: Order.self, limit: settings.maxBodyBytes)
            guard order.shares > 0 else { throw APIError.unprocessable("shares must be positive", code: "invalid_shares") }
            return try Response.json(["shares": order.shares], status: .created)
        }
        router.get("/orders/:orderId") { _, _ -> Response in throw APIError.notFound("no such order", code: "unknown_order") }
        router.post("/orders/batch") { _, _ -> Response in Response(status: .ok) }
        router.get("/files/**") { _, _ -> Response in Response(status: .ok) }
        router.post("/files/upload/meta") { _, _ -> Response in Response(status: .ok) }
        router.get("/conflict") { _, _ -> Response in throw APIError.conflict("session already started", code: "illegal_transition") }
        router.get("/crash") { _, _ -> Response in throw CocoaError(.fileNoSuchFile) }
        router.get("/limited") { _, _ -> Response in throw APIError.tooManyRequests() }
        router.group("/ingest")
            .add(middleware: ServiceTokenMiddleware(tokens: ["s3cret-token"], realm: "ingest"))
            .post("/reports") { _, _ -> Response in Response(status: .accepted) }
        router.group("/history")
            .add(middleware: EntitlementMiddleware(capability: Capability.stream, provider: provider))
            .get("/") { _, _ -> Response in Response(status: .ok) }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// The `error.code` and `error.message` of a JSON error body; empty strings when the body
    /// does not have the suite's error shape (so the comparison fails).
    static func errorBody(_ response: TestResponse) -> (code: String, message: String) {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
        guard let error = object?["error"] as? [String: Any], let code = error["code"] as? String, let message = error["message"] as? String else {
            return ("", "")
        }
        return (code, message)
    }

    @Test func unknownRouteIsJSON404() async throws {
        try await Self.makeApp().test(.router) { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(Self.errorBody(response).code == "not_found")
            }
        }
    }

    @Test func knownPathWithAnotherMethodIsJSON405WithAllow() async throws {
        try await Self.makeApp().test(.router) { client in
            try await client.execute(uri: "/orders", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(Self.errorBody(response).code == "method_not_allowed")
                #expect(Self.errorBody(response).message == "GET is not allowed on /orders")
            }
            try await client.execute(uri: "/healthz", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow]?.contains("GET") == true)
            }
            // A handler's own 404 stays a 404; an unknown path under a known prefix too.
            try await client.execute(uri: "/orders/1", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(Self.errorBody(response).code == "unknown_order")
            }
            try await client.execute(uri: "/orders/1/fills", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(Self.errorBody(response).code == "not_found")
            }
            // A literal segment wins over a parameter, as in the router: GET /orders/batch is the
            // POST-only batch route, not an order id.
            try await client.execute(uri: "/orders/batch", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/orders/1", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
            // A literal wins over `**`, also where the patterns' lengths differ.
            try await client.execute(uri: "/files/upload/meta", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            try await client.execute(uri: "/files/a/b/c", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/files/a/b/c", method: .post) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
        }
    }

    @Test func malformedJSONIs400AndMissingFieldNamed() async throws {
        try await Self.makeApp().test(.router) { client in
            try await client.execute(uri: "/orders", method: .post, body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
                #expect(Self.errorBody(response).code == "malformed_json")
            }
            try await client.execute(uri: "/orders", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .badRequest)
                #expect(Self.errorBody(response).message.contains("shares"))
            }
            try await client.execute(uri: "/orders", method: .post, body: ByteBuffer(string: #"{"shares":0}"#)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(Self.errorBody(response).code == "invalid_shares")
            }
            try await client.execute(uri: "/orders", method: .post, body: ByteBuffer(string: #"{"shares":5}"#)) { response in
                #expect(response.status == .created)
            }
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await Self.makeApp().test(.router) { client in
            let big = ByteBuffer(string: #"{"shares":1,"pad":""# + String(repeating: "x", count: 200) + #""}"#)
            try await client.execute(uri: "/orders", method: .post, body: big) { response in
                #expect(response.status == .contentTooLarge)
                #expect(Self.errorBody(response).code == "payload_too_large")
            }
        }
    }

    @Test func statusesKeepTheErrorShape() async throws {
        try await Self.makeApp().test(.router) { client in
            try await client.execute(uri: "/conflict", method: .get) { response in
                #expect(response.status == .conflict)
                #expect(Self.errorBody(response).code == "illegal_transition")
            }
            try await client.execute(uri: "/limited", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
            }
            try await client.execute(uri: "/crash", method: .get) { response in
                #expect(response.status == .internalServerError)
                let body = Self.errorBody(response)
                #expect(body.code == "internal_error")
                #expect(!body.message.contains("NSCocoaErrorDomain"), "internal details are not sent to clients")
            }
        }
    }

    @Test func serviceTokenViaBearerOrHeader() async throws {
        try await Self.makeApp().test(.router) { client in
            try await client.execute(uri: "/ingest/reports", method: .post) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.errorBody(response).code == "missing_token")
            }
            try await client.execute(uri: "/ingest/reports", method: .post, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.errorBody(response).code == "invalid_token")
            }
            try await client.execute(uri: "/ingest/reports", method: .post, headers: [.authorization: "Bearer s3cret-token"]) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(uri: "/ingest/reports", method: .post, headers: [.serviceToken: "s3cret-token"]) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(uri: "/ingest/reports", method: .post, headers: [.serviceToken: "s3cret-toke"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func entitlementsChecked() async throws {
        let provider = try FileEntitlementsProvider(json: Array("""
        {"plans":{"free":{"capabilities":["can.stream_public"]},"pro":{"capabilities":["can.stream","can.stream_public"]}},
         "customers":{"cus_free":{"plan":"free"},"cus_pro":{"plan":"pro"}}}
        """.utf8))
        try await Self.makeApp(provider: provider).test(.router) { client in
            try await client.execute(uri: "/history/", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(Self.errorBody(response).code == "missing_identity")
            }
            try await client.execute(uri: "/history/", method: .get, headers: [.customerID: "cus_free"]) { response in
                #expect(response.status == .forbidden)
                let body = Self.errorBody(response)
                #expect(body.code == "entitlement_required")
                #expect(body.message.contains("can.stream"))
            }
            try await client.execute(uri: "/history/", method: .get, headers: [.customerID: "cus_unknown"]) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/history/", method: .get, headers: [.userID: "cus_pro"]) { response in
                #expect(response.status == .ok)
            }
        }
    }

    struct UnreachableProvider: EntitlementsProvider {
        func entitlements(for customerId: String) async throws -> CustomerEntitlements? {
            throw EntitlementsError.unavailable("connection refused")
        }
    }

    @Test func unreachableEntitlementsIs503NeverAllowed() async throws {
        try await Self.makeApp(provider: UnreachableProvider()).test(.router) { client in
            try await client.execute(uri: "/history/", method: .get, headers: [.customerID: "cus_pro"]) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(Self.errorBody(response).code == "entitlements_unavailable")
            }
        }
    }

    @Test func healthReadinessAndMetrics() async throws {
        try await Self.makeApp(ready: false).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""pipeline":"failing""#))
            }
        }
        try await Self.makeApp(ready: true).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/orders", method: .post, body: ByteBuffer(string: #"{"shares":1}"#)) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("hb_requests"))
                #expect(text.contains("http_server_request_duration"))
            }
        }
    }

    @Test func requestIDIsEchoedOrMade() async throws {
        try await Self.makeApp().test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: "abc-123"]) { response in
                #expect(response.headers[.requestID] == "abc-123")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect((response.headers[.requestID]?.count ?? 0) >= 16)
            }
        }
    }
}
