/// URL-safe base64 without padding (RFC 4648 section 5): tokens and signatures in URLs.
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes bytes as unpadded base64url.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Base64.encode(Array(bytes), alphabet: alphabet, pad: false)
    }

    /// Decodes base64url, padded or not.
    public static func decode(_ text: String) -> [UInt8]? {
        Base64.decode(text, plus: UInt8(ascii: "-"), slash: UInt8(ascii: "_"))
    }
}
