import Foundation
import HTTPCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// The request metrics every service exports, counted by ``RequestMetricsMiddleware`` under
/// Hummingbird's names, for answers and for errors.
@Suite struct RequestMetricsMiddlewareTests {
    /// The value of the exposition line of `metric` whose labels include all of `labels`.
    static func value(of metric: String, labels: [String], in text: String) -> String? {
        text.split(separator: "\n").first { line in
            line.hasPrefix(metric + "{") && labels.allSatisfy { line.contains($0) }
        }.map { String($0.split(separator: " ").last ?? "") }
    }

    /// Counts the flushes of HTTP response parts on the server's connections.
    final class FlushCounter: ChannelOutboundHandler, RemovableChannelHandler, Sendable {
        typealias OutboundIn = Any
        let flushes = Atomic<Int>(0)

        func flush(context: ChannelHandlerContext) {
            flushes.add(1, ordering: .relaxed)
            context.flush()
        }
    }

    @Test func answerGoesOutInOneFlush() async throws {
        let counter = FlushCounter()
        let router = Router()
        StandardMiddleware.install(on: router, service: "test", settings: HTTPServerSettings(port: 0), checks: [])
        router.get("/answer") { _, _ -> Response in try Response.json(["ok": true]) }
        let app = Application(router: router, server: .http1(configuration: .init(additionalChannelHandlers: [counter])),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await client.execute(uri: "/answer", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"ok":true}"#)
            }
        }
        // Head, body and end in one flush: one write on the socket, one TCP segment. Recording
        // metrics through a post-write closure made it three.
        #expect(counter.flushes.load(ordering: .relaxed) == 1)
    }

    @Test func countsAnswersErrorsAndDurations() async throws {
        // A route of its own: the registry is shared by every test of the process.
        let route = "/probe-\(UUID().uuidString.prefix(8).lowercased())"
        let router = Router()
        StandardMiddleware.install(on: router, service: "test", settings: HTTPServerSettings(port: 0), checks: [])
        router.get(RouterPath(route)) { _, _ -> Response in try Response.json(["ok": true]) }
        router.post(RouterPath(route)) { _, _ -> Response in throw APIError.conflict("already there", code: "conflict") }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            for _ in 0..<3 {
                try await client.execute(uri: route, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"ok":true}"#)
                    #expect(response.headers[.contentLength] == "11")
                }
            }
            try await client.execute(uri: route, method: .post) { response in
                #expect(response.status == .conflict)
            }
            let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            let routeLabel = #"http_route="\#(route)""#
            #expect(Self.value(of: "hb_requests", labels: [routeLabel, #"http_request_method="GET""#, #"http_response_status_code="200""#], in: text) == "3")
            #expect(Self.value(of: "http_server_request_duration_count", labels: [routeLabel, #"http_response_status_code="200""#], in: text) == "3")
            #expect(Self.value(of: "hb_requests", labels: [routeLabel, #"http_request_method="POST""#, #"http_response_status_code="409""#], in: text) == "1")
            #expect(Self.value(of: "hb_request_errors", labels: [routeLabel, #"error_type="409""#], in: text) == "1")
            #expect(Self.value(of: "http_server_active_requests", labels: [#"http_request_method="GET""#], in: text) != nil)
        }
    }
}
