import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id: the caller's `X-Request-Id` when it is sane, a new random one
/// otherwise. The id goes into the logger metadata (`request.id`, and `hb.request.id` with the
/// same value) and back in the response.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let presented = request.headers[.requestID]
        let id: String
        if let presented, (1...128).contains(presented.utf8.count), presented.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            id = presented
        } else {
            id = RequestID.make()
        }
        context.logger[metadataKey: "request.id"] = .string(id)
        // Hummingbird's own id (`hb.request.id`, what `context.id` reads) becomes the same one,
        // so a log line never carries an id the caller was not given. (Removing it would make
        // `context.id` trap: Hummingbird force-unwraps it.)
        context.logger[metadataKey: "hb.request.id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.requestID] = id
        return response
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`.
    public static let requestID = HTTPField.Name("X-Request-Id")!
    /// `X-Service-Token`.
    public static let serviceToken = HTTPField.Name("X-Service-Token")!
    /// `X-User-Id`.
    public static let userID = HTTPField.Name("X-User-Id")!
    /// `X-Customer-Id`.
    public static let customerID = HTTPField.Name("X-Customer-Id")!
    /// `X-Idempotency-Key`.
    public static let idempotencyKey = HTTPField.Name("X-Idempotency-Key")!
    /// `X-Api-Key`.
    public static let apiKey = HTTPField.Name("X-Api-Key")!
}
