import HTTPTypes
import Hummingbird
import Logging
import Logging

/// Turns every error a handler throws into the suite's JSON error body, and logs it.
///
/// ``APIError`` passes through; Hummingbird's `HTTPError` keeps its status with a code derived
/// from it; decoding failures become 400 `malformed_json`; anything else is a 500 whose details
/// are logged but never sent to the client.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, request: request)
            let level: Logger.Level = apiError.status.code >= 500 ? .error : .info
            context.logger.log(
                level: level,
                "request failed",
                metadata: [
                    "http.method": "\(request.method.rawValue)",
                    "http.path": "\(request.uri.path)",
                    "http.status": "\(apiError.status.code)",
                    "error.code": "\(apiError.code)",
                    "error.message": "\(apiError.status.code >= 500 ? String(describing: error) : apiError.message)",
                ]
            )
            return try apiError.response(from: request, context: context)
        }
    }

    /// Maps any error to the JSON error the client sees.
    public static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            let message = error.body ?? Self.defaultMessage(error.status, request: request)
            var apiError = APIError(error.status, code: Self.code(for: error.status), message: message)
            apiError.headers = error.headers
            return apiError
        case is DecodingError:
            return .badRequest("request body is not valid JSON for this endpoint: \(Self.describe(error))", code: "malformed_json")
        case let error as any HTTPResponseError:
            return APIError(error.status, code: Self.code(for: error.status), message: Self.defaultMessage(error.status, request: request))
        default:
            return APIError(.internalServerError, code: "internal_error", message: "internal error")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "invalid_field"
        case 429: "rate_limited"
        case 503: "unavailable"
        default: status.code >= 500 ? "internal_error" : "http_\(status.code)"
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status, request: Request) -> String {
        switch status.code {
        case 404: "no route for \(request.method.rawValue) \(request.uri.path)"
        case 413: "request body too large"
        default: status.reasonPhrase
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context): return context.debugDescription
        case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "wrong type for '\(path)': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
