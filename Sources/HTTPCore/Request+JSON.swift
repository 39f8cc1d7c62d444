import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// Reads the body (at most `limit` bytes: 413 beyond) and returns its bytes.
    public func collectBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await self.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: limit)
        }
    }

    /// Decodes a JSON body: 413 when too large, 400 `malformed_json` when it is not JSON of
    /// the expected shape (naming the missing or mistyped field).
    public func decodeJSON<Value: Decodable>(as type: Value.Type, limit: Int = 1 << 20) async throws -> Value {
        try Self.decode(Value.self, from: try await collectBody(limit: limit))
    }

    /// `JSONDecoder` with the errors of ``decodeJSON(as:limit:)``.
    private static func decode<Value: Decodable>(_ type: Value.Type, from buffer: ByteBuffer) throws -> Value {
        guard buffer.readableBytes > 0 else {
            throw APIError.badRequest("request body is empty; expected JSON", code: "malformed_json")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.badRequest("request body is not valid JSON for this endpoint: \(ErrorMiddleware<BasicRequestContext>.describe(error))", code: "malformed_json")
        }
    }
}

extension Request {
    /// ``decodeJSON(as:limit:)`` with a fast path: when the body is a ``FlatJSONObject`` and
    /// `fast` builds the value from it, `JSONDecoder` is skipped. Whenever `fast` returns
    /// `nil` (a missing or mistyped member, anything outside the subset), the body goes
    /// through `JSONDecoder`, so answers and errors are those of ``decodeJSON(as:limit:)``.
    public func decodeJSON<Value: Decodable>(as type: Value.Type, limit: Int = 1 << 20, fast: (FlatJSONObject) -> Value?) async throws -> Value {
        try await decodeJSON(as: Value.self, limit: limit, fastFromBytes: { bytes in FlatJSONObject(bytes).flatMap(fast) })
    }

    /// ``decodeJSON(as:limit:)`` with a fast path reading the body's bytes (for example
    /// through ``FlatJSONObject/objects(inArrayNamed:of:)``); whenever it returns `nil` the
    /// body goes through `JSONDecoder`, answers and errors included.
    public func decodeJSON<Value: Decodable>(
        as type: Value.Type,
        limit: Int = 1 << 20,
        fastFromBytes fast: (UnsafeRawBufferPointer) -> Value?
    ) async throws -> Value {
        let buffer = try await collectBody(limit: limit)
        if let value = buffer.withUnsafeReadableBytes(fast) {
            return value
        }
        return try Self.decode(Value.self, from: buffer)
    }
}

extension Response {
    /// A JSON response from already-encoded bytes.
    public static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON response encoding `value` with sorted keys.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return json(bytes: Array(try encoder.encode(value)), status: status, headers: headers)
    }
}
