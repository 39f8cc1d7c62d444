/// Why a security operation refused its input.
public struct SecurityError: Error, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case invalidKeyLength, invalidNonce, malformedCiphertext, authenticationFailed, cryptoFailure
        case malformedSignedURL, signatureMismatch, expired
    }

    private let kind: Kind

    /// The key is not 32 bytes.
    public static let invalidKeyLength = SecurityError(kind: .invalidKeyLength)
    /// The nonce is empty.
    public static let invalidNonce = SecurityError(kind: .invalidNonce)
    /// The ciphertext is too short to hold a nonce and a tag.
    public static let malformedCiphertext = SecurityError(kind: .malformedCiphertext)
    /// The tag did not verify: tampered data or the wrong key.
    public static let authenticationFailed = SecurityError(kind: .authenticationFailed)
    /// OpenSSL reported an internal failure.
    public static let cryptoFailure = SecurityError(kind: .cryptoFailure)
    /// A signed URL lacks its `expires` or `signature` parameter, or they are not well formed.
    public static let malformedSignedURL = SecurityError(kind: .malformedSignedURL)
    /// A signed URL's signature does not match its content.
    public static let signatureMismatch = SecurityError(kind: .signatureMismatch)
    /// A signed URL is past its expiry.
    public static let expired = SecurityError(kind: .expired)

    public var description: String {
        switch kind {
        case .invalidKeyLength: "key must be 32 bytes"
        case .invalidNonce: "nonce must not be empty"
        case .malformedCiphertext: "ciphertext is malformed"
        case .authenticationFailed: "authentication failed"
        case .cryptoFailure: "OpenSSL operation failed"
        case .malformedSignedURL: "signed URL is missing or has a malformed expires/signature"
        case .signatureMismatch: "signature does not match"
        case .expired: "signed URL has expired"
        }
    }
}
