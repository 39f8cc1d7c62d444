import SecurityPrimitives

/// Signed viewer tokens for browsers, which cannot set `X-Customer-Id` on a WebSocket:
/// `base64url(viewerId).expiresAt.base64url(HMAC-SHA256(secret, "viewer:" + viewerId + ":" + expiresAt))`,
/// passed as `?token=` on `/ws/rooms/{roomId}`. Issued by `POST /viewer-tokens` (operator
/// token) or by any backend that shares `STREAMING_VIEWER_TOKEN_SECRET`.
public struct ViewerToken: Sendable {
    private let key: [UInt8]

    /// A signer/verifier keyed with `secret`.
    public init(secret: String) {
        self.key = Array(secret.utf8)
    }

    /// A token for `viewer` valid until `expiresAt` (seconds since 1970).
    public func issue(viewer: String, expiresAt: Int64) -> String {
        let tag = HMACSHA256.authenticate(Self.message(viewer: viewer, expiresAt: expiresAt), key: key)
        return "\(Base64URL.encode(Array(viewer.utf8))).\(expiresAt).\(Base64URL.encode(tag))"
    }

    /// The viewer id of a valid, unexpired token; nil otherwise.
    public func verify(_ token: String, now: Int64) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let viewerBytes = Base64URL.decode(String(parts[0])),
            let expiresAt = Int64(parts[1]),
            let tag = Base64URL.decode(String(parts[2]))
        else { return nil }
        let viewer = String(decoding: viewerBytes, as: UTF8.self)
        guard !viewer.isEmpty, HMACSHA256.verify(tag, message: Self.message(viewer: viewer, expiresAt: expiresAt), key: key) else { return nil }
        guard now <= expiresAt else { return nil }
        return viewer
    }

    private static func message(viewer: String, expiresAt: Int64) -> [UInt8] {
        Array("viewer:\(viewer):\(expiresAt)".utf8)
    }
}
