/// URLs that carry their own authorisation: `path?query&expires=UNIX&signature=BASE64URL` where
/// the signature is HMAC-SHA256 over `path?query&expires=UNIX` (everything before
/// `&signature=`). Overlay pages handed to OBS and viewer tokens use them.
public struct URLSigner: Sendable {
    private let key: [UInt8]

    /// A signer with a secret key (at least 32 bytes recommended).
    public init(key: [UInt8]) {
        self.key = key
    }

    /// A signer keyed with the UTF-8 bytes of a secret string.
    public init(secret: String) {
        self.key = Array(secret.utf8)
    }

    /// Signs `pathAndQuery` (for example `/overlay/abc?theme=dark`) so it stays valid until
    /// `expiresAt` (seconds since 1970).
    public func sign(_ pathAndQuery: String, expiresAt: Int64) -> String {
        let separator = pathAndQuery.contains("?") ? "&" : "?"
        let unsigned = "\(pathAndQuery)\(separator)expires=\(expiresAt)"
        let signature = Base64URL.encode(HMACSHA256.authenticate(Array(unsigned.utf8), key: key))
        return "\(unsigned)&signature=\(signature)"
    }

    /// Verifies a signed `path?query`: the signature must match in constant time and `now`
    /// (seconds since 1970) must not be past `expires`. Returns the expiry.
    @discardableResult
    public func verify(_ signedPathAndQuery: String, now: Int64) throws(SecurityError) -> Int64 {
        let bytes = Array(signedPathAndQuery.utf8)
        guard let signatureStart = Self.lastIndex(of: Array("&signature=".utf8), in: bytes) else {
            throw .malformedSignedURL
        }
        let unsigned = Array(bytes[..<signatureStart])
        let signatureText = String(decoding: bytes[(signatureStart + 11)...], as: UTF8.self)
        guard !signatureText.contains("&"), let presented = Base64URL.decode(signatureText) else {
            throw .malformedSignedURL
        }
        guard let expiresStart = Self.lastIndex(of: Array("expires=".utf8), in: unsigned), expiresStart > 0,
              unsigned[expiresStart - 1] == UInt8(ascii: "?") || unsigned[expiresStart - 1] == UInt8(ascii: "&"),
              let expires = Int64(String(decoding: unsigned[(expiresStart + 8)...], as: UTF8.self))
        else { throw .malformedSignedURL }
        guard HMACSHA256.verify(presented, message: unsigned, key: key) else {
            throw .signatureMismatch
        }
        guard now <= expires else { throw .expired }
        return expires
    }

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var start = haystack.count - needle.count
        while start >= 0 {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
            start -= 1
        }
        return nil
    }
}
