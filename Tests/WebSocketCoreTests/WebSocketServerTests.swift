import HTTPCore
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import Testing
import WebSocketTestSupport
import WebSocketCore

/// `WebSocketServer.builder` over real sockets: refused upgrades get the router's response,
/// accepted upgrades and plain HTTP behave as before.
@Suite(.serialized) struct WebSocketServerTests {
    static let logger: Logger = {
        var logger = Logger(label: "ws-server-test")
        logger.logLevel = .error
        return logger
    }()

    /// One router for HTTP and WebSockets, as the services build it: `/ws/quotes` needs the
    /// `quotes` entitlement (here `?entitled=1`), `/health` is a plain route.
    static func makeApplication(errorMiddleware: Bool = true) -> some ApplicationProtocol {
        let router = Router(context: BasicWebSocketRequestContext.self)
        if errorMiddleware {
            router.add(middleware: ErrorMiddleware())
        }
        router.get("/health") { _, _ in "ok" }
        router.ws("/ws/quotes", shouldUpgrade: { request, _ in
            if request.uri.queryParameters["broken"] == "1" {
                throw EntitlementsUnreachable()
            }
            guard request.uri.queryParameters["entitled"] == "1" else {
                throw APIError.forbidden("the quotes entitlement is required", code: "entitlement_required")
            }
            return .upgrade([:])
        }) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 16) {
                if case .text(let text) = message {
                    try await outbound.write(.text("echo:\(text)"))
                }
            }
        }
        return Application(
            router: router,
            server: WebSocketServer.builder(router: router, settings: WebSocketSettings()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger
        )
    }

    /// An error that is not an HTTP response error: only `ErrorMiddleware` turns it into a response.
    struct EntitlementsUnreachable: Error {}

    /// The server's answer to an upgrade request, or nil if it upgraded.
    static func refusal(port: Int, path: String) async -> TestWebSocketClient.UpgradeRefusal? {
        let socket = TestWebSocketClient(port: port, path: path)
        do {
            try await socket.waitUntilOpen()
            await socket.close()
            return nil
        } catch let refusal as TestWebSocketClient.UpgradeRefusal {
            return refusal
        } catch {
            Issue.record("no HTTP answer: \(error)")
            return nil
        }
    }

    @Test func refusedUpgradeGetsTheRouterStatusAndJSONBody() async throws {
        try await Self.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let refusal = try #require(await Self.refusal(port: port, path: "/ws/quotes"))
            #expect(refusal.status == 403)
            #expect(refusal.bodyText == #"{"error":{"code":"entitlement_required","message":"the quotes entitlement is required"}}"#)
            #expect(refusal.header("content-type")?.hasPrefix("application/json") == true)
            #expect(refusal.header("content-length") == String(refusal.body.count))
            #expect(refusal.header("connection") == "close")
            #expect(refusal.closedByServer, "no socket stays open after a refusal")
        }
    }

    @Test func acceptedUpgradeStillCarriesMessages() async throws {
        try await Self.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let socket = TestWebSocketClient(port: port, path: "/ws/quotes?entitled=1")
            socket.send(text: "one")
            socket.send(text: "two")
            let first = try await socket.nextText()
            #expect(first == "echo:one", "\(socket.events)")
            #expect(try await socket.nextText() == "echo:two")
            await socket.close()
            #expect(socket.end == .closed(code: 1000, reason: ""), "the server answered the closing handshake")
        }
    }

    @Test func plainHTTPRoutesStillAnswer() async throws {
        try await Self.makeApplication().test(.live) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == "ok")
                }
            }
            try await client.execute(uri: "/ws/quotes", method: .get) { response in
                #expect(response.status == .forbidden, "without upgrade headers the ws route answers as plain HTTP")
            }
        }
    }

    @Test func unknownPathWithUpgradeHeadersGets404JSON() async throws {
        try await Self.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let refusal = try #require(await Self.refusal(port: port, path: "/ws/nowhere"))
            #expect(refusal.status == 404)
            #expect(refusal.bodyText == #"{"error":{"code":"not_found","message":"no route for GET /ws/nowhere"}}"#)
            #expect(refusal.header("connection") == "close")
            #expect(refusal.closedByServer)
        }
    }

    @Test func plainRouteWithUpgradeHeadersGetsItsOwnResponse() async throws {
        try await Self.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let refusal = try #require(await Self.refusal(port: port, path: "/health"))
            #expect(refusal.status == 200)
            #expect(refusal.bodyText == "ok")
            #expect(refusal.header("connection") == "close")
        }
    }

    @Test func unexpectedErrorWithErrorMiddlewareIsA500JSONError() async throws {
        try await Self.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let refusal = try #require(await Self.refusal(port: port, path: "/ws/quotes?broken=1"))
            #expect(refusal.status == 500)
            #expect(refusal.bodyText == #"{"error":{"code":"internal_error","message":"internal error"}}"#)
        }
    }

    @Test func withoutErrorMiddlewareAnUnexpectedErrorIsA400JSONError() async throws {
        try await Self.makeApplication(errorMiddleware: false).test(.live) { client in
            let port = try #require(client.port)
            let refusal = try #require(await Self.refusal(port: port, path: "/ws/quotes?broken=1"))
            #expect(refusal.status == 400)
            #expect(refusal.bodyText == #"{"error":{"code":"upgrade_refused","message":"the WebSocket upgrade was refused"}}"#)
            #expect(refusal.header("connection") == "close")
        }
    }
}
