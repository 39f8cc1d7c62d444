import COpenSSL

/// Comparison of secrets whose duration does not depend on where they differ.
public enum ConstantTime {
    /// True when both byte strings are equal. The time taken depends only on the lengths, never
    /// on the contents: a length mismatch still compares a full buffer.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        if lhs.count != rhs.count {
            // Burn the same work as an equal-length comparison, then fail.
            _ = lhs.withUnsafeBytes { a in CRYPTO_memcmp(a.baseAddress, a.baseAddress, a.count) }
            return false
        }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBytes { a in
            rhs.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }

    /// Compares two strings by their UTF-8 bytes in constant time.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
