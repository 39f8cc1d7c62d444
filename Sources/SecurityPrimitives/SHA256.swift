import COpenSSL

/// SHA-256 through OpenSSL.
public enum SHA256 {
    /// The 32-byte digest of `data`.
    public static func hash(_ data: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(data)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = COpenSSL.SHA256(input.baseAddress ?? UnsafePointer(bitPattern: 1), input.count, output.baseAddress)
            }
        }
        return digest
    }

    /// The digest of a UTF-8 string as lowercase hex.
    public static func hex(_ string: String) -> String {
        Hex.encode(hash(Array(string.utf8)))
    }
}
