import HTTPTypes
import Hummingbird
import NIOCore

/// The one error shape of every HTTP endpoint in the suite:
/// `{"error":{"code":"...","message":"..."}}` with the matching status.
///
/// Codes are stable snake_case strings that clients can switch on; messages are for people.
public struct APIError: HTTPResponseError, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable machine-readable code, for example `malformed_json`.
    public var code: String
    /// A human-readable explanation.
    public var message: String
    /// Extra response headers (for example `Retry-After` on 429/503, `Allow` on 405).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The JSON body bytes.
    public var body: [UInt8] {
        var out = Array(#"{"error":{"code":"#.utf8)
        JSONText.appendString(code, to: &out)
        out.append(contentsOf: Array(#","message":"#.utf8))
        JSONText.appendString(message, to: &out)
        out.append(contentsOf: Array("}}".utf8))
        return out
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    // MARK: The statuses the suite uses

    /// 400: the body is not valid JSON or not the expected shape.
    public static func badRequest(_ message: String, code: String = "bad_request") -> APIError {
        APIError(.badRequest, code: code, message: message)
    }
    /// 401: no credentials or wrong credentials.
    public static func unauthorized(_ message: String = "missing or invalid credentials", code: String = "unauthorized") -> APIError {
        APIError(.unauthorized, code: code, message: message, headers: [.wwwAuthenticate: "Bearer"])
    }
    /// 403: authenticated but not allowed.
    public static func forbidden(_ message: String, code: String = "forbidden") -> APIError {
        APIError(.forbidden, code: code, message: message)
    }
    /// 404: no such resource.
    public static func notFound(_ message: String, code: String = "not_found") -> APIError {
        APIError(.notFound, code: code, message: message)
    }
    /// 405: the path exists but not for this method.
    public static func methodNotAllowed(_ message: String = "method not allowed", allow: String? = nil) -> APIError {
        var headers: HTTPFields = [:]
        if let allow { headers[.allow] = allow }
        return APIError(.methodNotAllowed, code: "method_not_allowed", message: message, headers: headers)
    }
    /// 409: the request conflicts with the resource's state.
    public static func conflict(_ message: String, code: String = "conflict") -> APIError {
        APIError(.conflict, code: code, message: message)
    }
    /// 413: the body is larger than the limit.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "payload_too_large", message: "request body exceeds \(limit) bytes")
    }
    /// 422: well-formed JSON whose values are not acceptable.
    public static func unprocessable(_ message: String, code: String = "invalid_field") -> APIError {
        APIError(.unprocessableContent, code: code, message: message)
    }
    /// 429: rate limited.
    public static func tooManyRequests(_ message: String = "rate limit exceeded", retryAfterSeconds: Int = 1) -> APIError {
        APIError(.tooManyRequests, code: "rate_limited", message: message, headers: [.retryAfter: String(retryAfterSeconds)])
    }
    /// 503: a dependency (the pipeline, the entitlements service) is unavailable.
    public static func unavailable(_ message: String, code: String = "unavailable", retryAfterSeconds: Int = 1) -> APIError {
        APIError(.serviceUnavailable, code: code, message: message, headers: [.retryAfter: String(retryAfterSeconds)])
    }
}
