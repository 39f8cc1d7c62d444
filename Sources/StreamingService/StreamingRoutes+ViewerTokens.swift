import HTTPCore
import Hummingbird
import Logging

extension StreamingRoutes {
    /// `POST /viewer-tokens` (operator token): `{"viewer": id, "ttl_seconds": optional (default
    /// 3600)}` → 201 `{"viewer","token","expires_at"}`, for browsers to join with `?token=`.
    /// 501 `viewer_tokens_disabled` without `STREAMING_VIEWER_TOKEN_SECRET`.
    func addViewerTokens(to router: Router<Context>) {
        router.group("viewer-tokens").add(middleware: adminGuard).post { request, _ in
            guard let viewerTokens else {
                throw APIError(.notImplemented, code: "viewer_tokens_disabled", message: "viewer tokens are disabled: STREAMING_VIEWER_TOKEN_SECRET is not set")
            }
            let (object, _) = try await jsonObject(request)
            guard let viewer = object["viewer"] as? String, !viewer.isEmpty, viewer.count <= 256 else {
                throw APIError.unprocessable("'viewer' (a viewer id of 1 to 256 characters) is required", code: "missing_field")
            }
            var ttl = 3600
            if let value = object["ttl_seconds"] {
                guard let number = JSONValue.integer(value), number >= 1, number <= 7 * 86_400 else {
                    throw APIError.unprocessable("'ttl_seconds' must be an integer from 1 to 604800", code: "invalid_field")
                }
                ttl = number
            }
            let expiresAt = WallTime.seconds() + Int64(ttl)
            return try Response.json(IssuedViewerToken(viewer: viewer, token: viewerTokens.issue(viewer: viewer, expiresAt: expiresAt), expiresAt: expiresAt), status: .created)
        }
    }
}

/// `POST /viewer-tokens` answer.
struct IssuedViewerToken: Encodable {
    /// The viewer the token names.
    var viewer: String
    /// The token to pass as `?token=`.
    var token: String
    /// Seconds since 1970 after which it is refused.
    var expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case viewer, token
        case expiresAt = "expires_at"
    }
}
