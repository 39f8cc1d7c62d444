import SecurityPrimitives

/// Request ids: 16 random bytes, URL-safe.
public enum RequestID {
    /// A fresh id.
    public static func make() -> String {
        Base64URL.encode(SecureRandom.bytes(12))
    }
}
