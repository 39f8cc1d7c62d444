import HTTPTypes
import Hummingbird
import Logging
import SecurityPrimitives

/// Guards routes used by other services: the caller presents a shared token as
/// `Authorization: Bearer <token>` or `X-Service-Token: <token>`; it is compared in constant
/// time against each accepted token. A missing or wrong token gets 401 and is logged without
/// the token.
public struct ServiceTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let acceptedTokens: [[UInt8]]
    private let realm: String

    /// - Parameters:
    ///   - tokens: the accepted tokens (for rotation, more than one); must not be empty.
    ///   - realm: names the guarded endpoints in logs (for example `ingest.reports`).
    public init(tokens: [String], realm: String) {
        precondition(!tokens.isEmpty && tokens.allSatisfy { !$0.isEmpty }, "a service token middleware needs a non-empty token")
        self.acceptedTokens = tokens.map { Array($0.utf8) }
        self.realm = realm
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let presented = Self.presentedToken(request.headers) else {
            context.logger.info("service token missing", metadata: ["auth.realm": "\(realm)"])
            throw APIError.unauthorized("missing service token: send Authorization: Bearer <token> or X-Service-Token", code: "missing_token")
        }
        let bytes = Array(presented.utf8)
        var matched = false
        for token in acceptedTokens where ConstantTime.equals(bytes, token) {
            matched = true
        }
        guard matched else {
            context.logger.warning("service token rejected", metadata: ["auth.realm": "\(realm)"])
            throw APIError.unauthorized("invalid service token", code: "invalid_token")
        }
        return try await next(request, context)
    }

    /// The token from `Authorization: Bearer` or `X-Service-Token`, if any.
    public static func presentedToken(_ headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization] {
            let prefix = "bearer "
            if authorization.count > prefix.count, authorization.prefix(prefix.count).lowercased() == prefix {
                return String(authorization.dropFirst(prefix.count)).trimmingCharacters(in: " ")
            }
        }
        if let token = headers[.serviceToken], !token.isEmpty { return token }
        return nil
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var view = self[...]
        while view.first == set { view = view.dropFirst() }
        while view.last == set { view = view.dropLast() }
        return String(view)
    }
}
