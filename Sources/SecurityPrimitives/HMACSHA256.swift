import COpenSSL

/// HMAC-SHA256 through OpenSSL's one-shot `HMAC()`: the signature scheme of every webhook,
/// signed URL and viewer token in the suite.
public enum HMACSHA256 {
    /// The length of a tag in bytes.
    public static let tagLength = 32

    /// The raw 32-byte tag of `message` under `key`.
    public static func authenticate(_ message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        let keyBytes = Array(key)
        let messageBytes = Array(message)
        var tag = [UInt8](repeating: 0, count: tagLength)
        var tagLength: UInt32 = 0
        keyBytes.withUnsafeBufferPointer { keyBuffer in
            messageBytes.withUnsafeBufferPointer { messageBuffer in
                tag.withUnsafeMutableBufferPointer { tagBuffer in
                    _ = HMAC(
                        EVP_sha256(),
                        keyBuffer.baseAddress ?? UnsafePointer(bitPattern: 1),
                        Int32(keyBuffer.count),
                        messageBuffer.baseAddress ?? UnsafePointer(bitPattern: 1),
                        messageBuffer.count,
                        tagBuffer.baseAddress,
                        &tagLength
                    )
                }
            }
        }
        precondition(tagLength == 32, "HMAC-SHA256 returned \(tagLength) bytes")
        return tag
    }

    /// The tag of a UTF-8 string under a UTF-8 key.
    public static func authenticate(_ message: String, key: String) -> [UInt8] {
        authenticate(Array(message.utf8), key: Array(key.utf8))
    }

    /// The tag as lowercase hex (the GitHub/Stripe convention).
    public static func hex(_ message: some Collection<UInt8>, key: some Collection<UInt8>) -> String {
        Hex.encode(authenticate(message, key: key))
    }

    /// The tag as standard base64 (the TradingView `X-Signature` convention).
    public static func base64(_ message: some Collection<UInt8>, key: some Collection<UInt8>) -> String {
        Base64.encode(authenticate(message, key: key))
    }

    /// Checks a presented tag against the expected one in constant time.
    public static func verify(
        _ tag: some Collection<UInt8>,
        message: some Collection<UInt8>,
        key: some Collection<UInt8>
    ) -> Bool {
        ConstantTime.equals(Array(tag), authenticate(message, key: key))
    }
}
