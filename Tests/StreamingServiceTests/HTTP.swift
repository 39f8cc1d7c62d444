import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Small HTTP calls over real sockets, answering status and parsed JSON.
enum HTTP {
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:]
        }
        /// `error.code` of an error body.
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    static func get(port: Int, _ path: String, headers: [(String, String)] = []) async throws -> Reply {
        try await send(.GET, port: port, path, headers: headers, body: nil)
    }

    static func post(port: Int, _ path: String, headers: [(String, String)] = [], body: String?) async throws -> Reply {
        try await send(.POST, port: port, path, headers: headers, body: body)
    }

    static func send(_ method: HTTPMethod, port: Int, _ path: String, headers: [(String, String)], body: String?) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 24)
        return Reply(status: Int(response.status.code), body: Array(bytes.readableBytesView))
    }

    /// A WebSocket upgrade request on a raw socket (on its own thread), to see how a refused
    /// upgrade is answered: the status and body of the HTTP answer (101 when accepted).
    static func upgrade(port: Int, _ path: String, headers: [(String, String)] = []) async throws -> Reply {
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        request += "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let raw = try await RawHTTP.exchange(port: port, request: request)
        return try RawHTTP.parse(raw)
    }

    static let admin = [("Authorization", "Bearer \(TestServer.adminToken)")]
    static let reports = [("Authorization", "Bearer \(TestServer.reportsToken)")]
    static let inplay = [("X-Service-Token", TestServer.inplayToken)]
}
