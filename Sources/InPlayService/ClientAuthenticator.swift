import HTTPCore
import Hummingbird
import SecurityPrimitives

/// Checks the `INPLAY_SERVICE_TOKEN` a client presents: `Authorization: Bearer <token>` (or
/// `X-Service-Token`) on REST and WebSocket, or the query parameter `token` on the WebSocket
/// only (browsers cannot set headers on a WebSocket). Compared in constant time.
public struct ClientAuthenticator: Sendable {
    /// The query parameter browsers use on `/inplay/ws`.
    public static let queryParameter = "token"

    private let token: [UInt8]

    /// An authenticator accepting `token`.
    public init(token: String) {
        self.token = Array(token.utf8)
    }

    /// Nil when the request carries the right token, else the 401 to answer.
    public func refusal(for request: Request, allowQueryToken: Bool) -> APIError? {
        var presented = ServiceTokenMiddleware<BasicRequestContext>.presentedToken(request.headers)
        if presented == nil, allowQueryToken, let value = request.uri.queryParameters.get(Self.queryParameter), !value.isEmpty {
            presented = value
        }
        guard let presented else {
            return .unauthorized(
                allowQueryToken
                    ? "missing token: send Authorization: Bearer <token> or ?token=<token>"
                    : "missing token: send Authorization: Bearer <token>",
                code: "missing_token"
            )
        }
        guard ConstantTime.equals(Array(presented.utf8), token) else {
            return .unauthorized("invalid token", code: "invalid_token")
        }
        return nil
    }
}
