import HTTPTypes
import Hummingbird

/// Refuses a body larger than the limit with 413 before reading it, when `Content-Length`
/// says so; ``Request/decodeJSON(as:context:limit:)`` enforces the same limit while reading
/// chunked bodies.
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    private let maxBytes: Int

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw APIError.payloadTooLarge(limit: maxBytes)
        }
        return try await next(request, context)
    }
}
