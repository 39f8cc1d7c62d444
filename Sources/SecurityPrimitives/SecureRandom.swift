import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return buffer }
        let status = buffer.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(status == 1, "RAND_bytes failed: the process cannot make secrets safely")
        return buffer
    }

    /// A URL-safe random token carrying `bytes` bytes of entropy (32 by default: 256 bits).
    public static func token(bytes: Int = 32) -> String {
        Base64URL.encode(self.bytes(bytes))
    }
}
